"""One load report for every real-data loader: what was found, what was kept, what was skipped and why.

Loaders are strict by default: an unexpected bad item raises a ``ValueError`` that names the first
offenders. With ``strict=False`` they skip bad items and say how many and which. Items a dataset is
*known* to ship broken (GTZAN's ``jazz.00054``) are skipped either way and listed all the same::

    >>> from cnnkit.data import LoadReport
    >>> report = LoadReport("aptos", "train.csv", found=4)
    >>> report.add("unreadable image", "1df0a4c23c95", "truncated PNG")
    >>> report.kept = 3
    >>> print(report)
    aptos: 4 items in train.csv, kept 3, skipped 1: 1 unreadable image: 1df0a4c23c95 (truncated PNG)
    >>> report.check(strict=True)
    Traceback (most recent call last):
    ...
    ValueError: aptos: 1 of 4 items cannot be used: 1 unreadable image: 1df0a4c23c95 (truncated PNG). Fix or remove them, or pass strict=False to skip them.
"""
from dataclasses import dataclass, field
from cnnkit._checks import Int, Mapping, Seq, Str, contract

#: offenders listed per kind of problem before "… and N more"
SHOW = 5


@contract(name=Str(), source=Str(empty=True), found=Int(low=0), kept=Int(low=0),
          problems=Mapping(Str(), Seq(min_len=0), min_len=0), expected=Seq(Str(), min_len=0))
@dataclass
class LoadReport:
    """What a loader found in ``source``: ``found`` items, ``kept`` of them, and the problems.

    Args:
        name: the dataset's name (``"aptos"``, ``"gtzan"``…), first in every message.
        source: where the items were listed (a CSV file, a folder).
        found: how many items the source lists.
        kept: how many of them the loader keeps.
        problems: ``{kind: [(item, detail), …]}``, the items left out for each kind of problem, in the order
            met (filled by :meth:`add`).
        expected: kinds skipped even when strict (such as ``"known corrupt"``: the dataset ships them).

    Example:
        >>> report = LoadReport("gtzan", "genres/", found=3, kept=2)
        >>> report.add("known corrupt", "jazz.00054", "no audio")
        >>> print(report)
        gtzan: 3 items in genres/, kept 2, skipped 1: 1 known corrupt: jazz.00054 (no audio)
        >>> report.check(strict=True)          # an expected kind: no error even when strict
    """

    name: str
    source: str
    found: int = 0
    kept: int = 0
    problems: dict = field(default_factory=dict)
    expected: tuple = ("known corrupt",)

    def add(self, kind, item, detail=""):
        """Record that ``item`` was left out for a reason of ``kind`` (``detail`` says more)."""
        self.problems.setdefault(kind, []).append((str(item), str(detail)))

    @property
    def skipped(self):
        """Every ``(kind, item, detail)`` left out, kind by kind."""
        return [(kind, item, detail) for kind, items in self.problems.items() for item, detail in items]

    @property
    def n_skipped(self):
        return sum(len(v) for v in self.problems.values())

    def _describe(self, kinds):
        parts = []
        for kind in kinds:
            items = self.problems[kind]
            shown = ", ".join(f"{i} ({d})" if d else i for i, d in items[:SHOW])
            more = f", … and {len(items) - SHOW} more" if len(items) > SHOW else ""
            parts.append(f"{len(items)} {kind}{'s' if len(items) > 1 and not kind.endswith('s') else ''}: "
                         f"{shown}{more}")
        return "; ".join(parts)

    def __str__(self):
        head = f"{self.name}: {self.found} items in {self.source}, kept {self.kept}, skipped {self.n_skipped}"
        return head + (": " + self._describe(self.problems) if self.problems else "")

    def check(self, strict):
        """Raise ``ValueError`` naming the offenders when ``strict`` and an unexpected problem was found."""
        unexpected = [k for k in self.problems if k not in self.expected]
        if strict and unexpected:
            n = sum(len(self.problems[k]) for k in unexpected)
            raise ValueError(f"{self.name}: {n} of {self.found} items cannot be used: {self._describe(unexpected)}. "
                             "Fix or remove them, or pass strict=False to skip them.")
