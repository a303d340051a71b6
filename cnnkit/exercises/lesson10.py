"""Exercises of lesson 10 (music recommendation): ``q1.check(answer)``, ``q1.hint()``, ``q1.solution()``.

    >>> from cnnkit.exercises import lesson10
    >>> lesson10.q1.check(0.086)
    ✓ Correct.
    True
    >>> lesson10.q4.check(False)
    ✓ Correct.
    True
"""
from cnnkit.exercises._core import Exercise, yes_no

q1 = Exercise(
    "A user has 116 candidate songs, one of which is the hidden song, and a random recommender shows 10 of them. "
    "What is the probability that the hidden song is among them (three decimals)? Check with rec.random_hit_rate.",
    expected=10 / 116, rtol=0, atol=6e-4,
    hint="Every candidate is equally likely to be in the random top 10.",
    solution="""answer = 10 / 116                                 # 0.086
relevant = np.zeros((1, 116), bool); relevant[0, 0] = True
print(round(answer, 3), rec.random_hit_rate(relevant, k=10))""",
)

q2 = Exercise(
    "A recommender finds the hidden song in its top 10 for 48 % of the users, each ranking 116 candidates. What is "
    "its lift over random (one decimal)?",
    expected=0.48 / (10 / 116), rtol=0, atol=0.051,
    hint="Lift = hit rate ÷ the random recommender's hit rate on the same pool.",
    solution="""answer = 0.48 / (10 / 116)                        # 5.6
print(round(answer, 1))""",
)

q3 = Exercise(
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

q4 = Exercise(
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
