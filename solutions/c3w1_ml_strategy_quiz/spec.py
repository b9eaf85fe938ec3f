"""Grading spec for c3w1_ml_strategy_quiz: 15 answers, keyed by the solution notebook's values.

Scoring rules live in utils/quiz.py (single choice, all-that-apply with partial credit,
numeric with a tolerance). The explanations are the feedback a student reads after grading:
they teach the idea and never name the key.
"""
from grader.paths import UTILS  # noqa: F401  (puts utils/ on sys.path)
from grader.spec import Test

import quiz

TITLE = "ML strategy quiz: listening for leaks"
HELPERS = ["quiz"]
DATA = []


def single(name, explanation, choices="ABCD"):
    return Test(name, kind="answer", points=1, score=quiz.single(choices), explanation=explanation)


def multiple(name, explanation, choices="ABCDE"):
    return Test(name, kind="answer", points=1, score=quiz.multiple(choices), explanation=explanation)


def numeric(name, explanation, tol, unit=""):
    return Test(name, kind="answer", points=1, score=quiz.numeric(tol, unit), explanation=explanation)


TESTS = [
    single("q1",
           "Two numbers cannot rank a model that wins on one and loses on the other without a "
           "discussion, and that slows the idea-code-experiment loop. One number that combines "
           "them (F1, or a cost-weighted version) sorts dozens of experiments at once. Accuracy is "
           "a single number but a poor one here: with 3% leaks, a logger that never raises an "
           "alarm is 97% accurate. Recall alone rewards a model that raises an alarm on everything."),
    numeric("q2",
            "Count true positives (alarms that are leaks), false positives (alarms on quiet pipes) "
            "and false negatives (leaks without an alarm). Then P = TP/(TP+FP), R = TP/(TP+FN), and "
            "F1 = 2PR/(P+R) = 2TP/(2TP+FP+FN). A common slip is to divide by all 20,000 clips: true "
            "negatives play no part in precision, recall or F1.",
            tol=0.001),
    multiple("q3",
             "A harmonic mean never exceeds the arithmetic mean and equals it only when the two "
             "numbers are equal (then F1 is that value). It is pulled towards the smaller number: "
             "raising an alarm on every clip gives R = 1 but P = 0.03, so F1 is about 0.06, not 0.5. "
             "Written as 2TP/(2TP+FP+FN), F1 has no TN term, and it weights FP and FN equally. When "
             "the costs of the two errors differ, use F-beta or a cost-weighted metric."),
    single("q4",
           "F1 is the optimizing metric; time and size are satisficing. First drop every model "
           "that breaks a limit (too slow, or too big for flash), then take the highest F1 among "
           "the rest. Being far under a limit earns nothing extra, and a model that breaks a limit "
           "cannot ship however good its F1."),
    single("q5",
           "The crews' capacity is a hard limit, so it belongs with the firmware budget among the "
           "satisficing metrics. Once those are met, the thing to push as far as possible is "
           "catching leaks, which is recall. F1 alone can be maximized by a model that sends crews "
           "60 false alarms a week, and a weighted sum of F1, milliseconds and kilobytes needs "
           "made-up exchange rates between quantities that have nothing in common."),
    single("q6",
           "Dev and test sets define the target: they should look like the data the system will "
           "meet (Riverton), and both should come from that same distribution. Training data may "
           "come from elsewhere (Lakeport helps the network learn what pipes sound like). Pooling "
           "and shuffling would make three quarters of the dev set Lakeport clips, so the team "
           "would tune for the wrong city. A dev set from one distribution and a test set from "
           "another means aiming at one target and being scored on another."),
    numeric("q7",
            "What makes a test set informative about recall is the number of leaks in it. A random "
            "set of N clips holds about 0.024 N leaks, so N must be at least the number of leaks "
            "wanted divided by the leak rate. With rare positives, the rare class sets the size of "
            "dev and test sets.",
            tol=1.0, unit="clips"),
    multiple("q8",
             "Once a set has been used to choose models or tune hyperparameters, its error is an "
             "optimistic estimate: that is why the test set is kept apart until the end. Working "
             "with train and dev only is acceptable if nobody needs an unbiased final number. With "
             "millions of examples, 70/30 puts hundreds of thousands of examples where a few "
             "thousand would do. Dev and test need not be the same size, but they must come from "
             "the same distribution, so that gains on dev carry over to test."),
    single("q9",
           "When the metric ranks models in a different order from the people who know what the "
           "application needs, the metric is wrong, not the people. Change it to capture what "
           "matters, for example by weighting errors by their cost or by adding a recall "
           "requirement on trunk mains, and rank again. Keeping a metric everyone distrusts wastes "
           "future decisions, and more dev data of the same kind cannot fix a metric that counts "
           "the wrong thing."),
    multiple("q10",
             "Change the target when doing well on it no longer means doing well in use: the data "
             "in use has drifted away from the dev set (a new kind of pipe), the dev set has been "
             "overfitted by long tuning (dev better than test), or the dev set is too small to "
             "separate the models being compared. A gap between training and dev error is variance, "
             "which calls for more data or regularization, not a new dev set. A new idea that scores "
             "lower is exactly what the dev set is for."),
    numeric("q11",
            "Human-level error, used as a proxy for Bayes error, means the BEST error people "
            "achieve, here the senior panel, not a typical or a junior technician. Avoidable bias "
            "is training error minus that proxy.",
            tol=0.05, unit="percentage points"),
    numeric("q12",
            "Variance is the gap between dev error and training error: how much worse the model "
            "does on clips it has not been trained on.",
            tol=0.05, unit="percentage points"),
    single("q13",
           "Compare the two gaps: training error minus the best human error (avoidable bias) and "
           "dev error minus training error (variance). The larger one says which family of fixes "
           "to try: for bias a bigger network, longer or better optimization, or a better "
           "architecture; for variance more data, regularization or augmentation. Beating a junior "
           "technician is not the bar: the best human error is."),
    multiple("q14",
             "Now training error is close to the best human error, while dev error is far above "
             "training error: variance dominates. More training data, regularization (L2, dropout) "
             "and data augmentation all reduce variance. A bigger network trained longer or a "
             "faster optimizer lowers training error, which is no longer the problem."),
    single("q15",
           "Once a model beats the best human error, we only know that Bayes error is at most that "
           "value: how much avoidable bias remains is unknown. Progress usually slows, because the "
           "tools that relied on people (human labels as a target, error analysis by asking why a "
           "person hears a leak the model misses) help less. Training error below human error is "
           "not overfitting (that is a dev-vs-train gap), and more labelled data can still help."),
]
