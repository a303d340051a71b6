"""Exercises of lesson 10 (music recommendation): ``q1.check(answer)``, ``q1.hint()``, ``q1.solution()``.

    >>> from cnnkit.exercises import lesson10
    >>> lesson10.q1.check(5.6)
    ✓ Correct.
    True
    >>> lesson10.q3.check(False)
    ✓ Correct.
    True
    >>> lesson10.q4.check("dc")
    ✓ Correct.
    True
"""
from cnnkit.exercises._core import Exercise, letters, yes_no

q1 = Exercise(
    "A recommender finds the hidden song in its top 10 for 48 % of the users, each ranking 116 candidates. What is "
    "its lift over random (one decimal)? Check the random recommender's hit rate with rec.random_hit_rate.",
    expected=0.48 / (10 / 116), rtol=0, atol=0.051,
    hint="Lift = hit rate ÷ the random recommender's hit rate on the same pool; a random top 10 of 116 candidates "
         "holds the hidden song with probability 10 / 116 (ten draws without replacement).",
    solution="""chance = 10 / 116                                 # 0.086: the random top 10's chance of the hidden song
relevant = np.zeros((1, 116), bool); relevant[0, 0] = True
print(round(chance, 3), round(rec.random_hit_rate(relevant, k=10), 3))
answer = 0.48 / chance                            # 5.6
print(round(answer, 1))""",
)

q2 = Exercise(
    "A catalogue has 240 songs with plays, 62.4 listeners each on average, and 120 new songs with none. A "
    "popularity-blind recommender of the played songs recommends songs with 62.4 listeners on average. What "
    "'listeners of a recommended song ÷ average' does it show if the average runs over all 360 songs, as "
    "notebook 10 once computed it?",
    expected=1.5, rtol=0, atol=0.011,
    hint="The mean over all songs counts the 120 new songs as 0 listeners: 62.4 × 240 / 360.",
    solution="""answer = 62.4 / (62.4 * 240 / 360)                # 1.5: a blind recommender looks 50 % biased
print(answer)
# against the pool it drew from (the 240 played songs) it is 1.0: rec.popularity_bias(..., candidates=warm)""",
)

q3 = Exercise(
    "Reasoning: on the whole catalogue, every user's hidden song is a new release, and the hybrid finds it more "
    "often than CF alone does. Is that enough to say the hybrid recommends better? Answer True or False.",
    test=yes_no(False, "when the hidden song is always new, any recommender that pushes new songs scores "
                       "higher, even one that shows nothing else; look at the hidden warm song too (section 7 "
                       "scores both) and at the share of new songs it shows."),
    hint="What would a recommender that shows only new songs score on this pool, and what would its users miss?",
    solution="""answer = False
# The pool rewards pushing new songs, whatever their quality. Section 7 hides one warm and one new song per
# user and reports both hit rates beside the new-song share of the top 10, so a recommender cannot win one
# by giving up the other.""",
)

_STATEMENTS = {
    "a": "the oracle's row is a cold-start result: it shows what a recommender reaches on new songs",
    "b": "when CF's lift on the warm songs (section 3) is higher than an audio route's lift on the new songs "
         "(section 6), the audio route ranks songs worse than CF does",
    "c": "ranking a smaller pool (say, only the new songs of the user's favourite genre) can raise a recommender's "
         "hit rate without a single one of its scores changing",
    "d": "on one pool (the same users, hidden songs and candidates), ordering recommenders by hit rate and by lift "
         "over random gives the same order",
}
_WHY = {
    "a": "(a) is not a result: the oracle refitted ALS on the new songs' other plays, which no service has on release "
         "day; it says what those plays are worth, a reference beside the day-one recommenders",
    "b": "(b) compares two pools: the warm pool has about twice the candidates, so its random hit rate and its largest "
         "possible lift differ, and the task differs (songs with plays); compare each method with the random and the "
         "oracle of its own pool",
    "c": "(c) is true: for fixed scores, removing candidates never pushes the hidden song down the list, and the "
         "random hit rate rises with it; that is why the lift divides by the random hit rate of the same pool",
    "d": "(d) is true: on one pool every lift is a hit rate divided by the same random hit rate",
}


def _letters(value):
    return letters(value, _STATEMENTS)


def _pool_test(answer):
    got = _letters(answer)
    if got is None:
        return 'expected the letters of the true statements from a, b, c, d, e.g. "ab" or ["a", "b"].'
    problems = [_WHY[x] for x in "ab" if x in got] + [_WHY[x] for x in "cd" if x not in got]
    return None if not problems else "; ".join(problems) + "."


q4 = Exercise(
    "Reasoning about pools and oracles (section 6). Which statements are true? (a) " + _STATEMENTS["a"] + "; (b) "
    + _STATEMENTS["b"] + "; (c) " + _STATEMENTS["c"] + "; (d) " + _STATEMENTS["d"] + '. Answer the letters, e.g. "ab".',
    test=_pool_test,
    hint="A hit rate depends on how many candidates there are, and a score may use only what a service knows on "
         "release day.",
    solution="""answer = "cd"
# (a) The oracle saw plays of the new songs that no service has on release day: a reference, not a result.
# (b) Another pool is another difficulty (another random hit rate, another largest lift): compare within a pool.
# (c) Removing candidates never pushes the hidden song down, so hit rates rise with a smaller pool: hence the lift.
# (d) On one pool every lift is hit rate / the same random hit rate, so both orders agree.""",
)
