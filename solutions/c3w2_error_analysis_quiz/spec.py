"""Grading spec for c3w2_error_analysis_quiz: 15 answers, keyed by the solution notebook's values.

Scoring rules live in utils/quiz.py (single choice, all-that-apply with partial credit,
numeric with a tolerance). The explanations are the feedback a student reads after grading:
they teach the idea and never name the key.
"""
from grader.paths import UTILS  # noqa: F401  (puts utils/ on sys.path)
from grader.spec import Test

import quiz

TITLE = "Error analysis quiz: a pest spotter for small farms"
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
           "Dev and test sets must both come from the distribution the app will face (farmer "
           "photos); otherwise the team tunes for one target and is scored on another. The "
           "archive images still belong in training: 180,000 related images teach the network "
           "a lot. Putting some farmer photos in training too lets it see the field distribution. "
           "Shuffling everything together would make the dev set mostly archive images."),
    numeric("q2",
            "The ceiling of a fix is the share of sampled mistakes in its category times the dev "
            "error: that is the most it can remove. Subtract it from the dev error. Real fixes "
            "rarely remove a category completely, so the actual gain is usually smaller.",
            tol=0.02, unit="percent"),
    multiple("q3",
             "Tags overlap, so counts can add up to more than the sample. A random sample of 100 to "
             "200 mistakes estimates the shares well enough to set priorities; looking at every "
             "mistake adds little. Size is not everything: compare each category's ceiling with "
             "the cost of the fix, so a small cheap category can come first. The tag list grows "
             "as you look at the photos; that is part of what makes the exercise informative."),
    numeric("q4",
            "Treat wrong labels like any other category: their share of the sampled mistakes, times "
            "the dev error, estimates how much of the measured error they cause.",
            tol=0.01, unit="percentage points"),
    single("q5",
           "Compare the error caused by wrong labels with the rest. When it is a small share, "
           "cleaning labels is a poor use of time next to the big categories. When the other "
           "errors have shrunk (say to 2% overall), the same wrong labels can be a large share and "
           "can make it impossible to tell two models apart; then fix them. Wrong dev labels do "
           "distort the measurement, and random label noise in a large training set is the least "
           "harmful kind."),
    multiple("q6",
             "Correct dev and test with the same process, so they stay from the same distribution. "
             "Checking only the mistakes can turn some into 'right' but never the reverse, which "
             "flatters the model; sampling the correct predictions too removes that bias. The "
             "training set may differ a little from dev/test, and networks tolerate random label "
             "noise in training, though systematic errors teach the wrong rule and are worth "
             "fixing."),
    numeric("q7",
            "Data mismatch is dev error minus train-dev error. Both sets are unseen by the model; "
            "they differ only in distribution (train-dev from the training mix, dev from the "
            "field).",
            tol=0.05, unit="percentage points"),
    multiple("q8",
             "The gaps are: avoidable bias (training minus human), variance (train-dev minus "
             "training) and data mismatch (dev minus train-dev). The last is by far the largest. "
             "Fixes for mismatch are to understand how the field data differs (by looking at "
             "errors), then make the training data more like it: collect more of it, or "
             "synthesize it. Dropout targets variance and bigger networks target bias, which are "
             "small here."),
    single("q9",
           "Synthesis can work well, but here the synthetic part covers only 30 droplet patterns "
           "out of a vast space of real ones. A person cannot tell that the composites repeat "
           "themselves; a network can, and will fit those 30 exactly. Synthesized data should "
           "cover as much of the real variety as possible (many droplet photos, lighting, leaf "
           "shapes). Synthesis touches only the training set; dev and test stay real."),
    single("q10",
           "Compute every gap: training minus human, train-dev minus training, dev minus "
           "train-dev, test minus dev. The largest says where to work. A much smaller network "
           "typically raises training error, and the fixes for avoidable bias are a better "
           "architecture within the budget, longer training or a better optimizer."),
    multiple("q11",
             "Transfer helps from a task with lots of data to one with less, when both take the "
             "same kind of input and the early layers' features (edges, textures, shapes) are "
             "useful for both. The pretraining classes need not include the target classes: the "
             "new output layer learns those. If the target task had much more data than the "
             "pretraining task, pretraining would add little."),
    single("q12",
           "Replace the output layer with one for the new classes. With little data, freeze most "
           "of the pretrained layers (the features they learned still apply) and train only the "
           "new layer, or the last one or two; with more data, fine-tune more of the network. "
           "Training from scratch on 1,500 photos overfits, a large learning rate destroys the "
           "pretrained features, and old classes cannot name new pests."),
    multiple("q13",
             "Multi-task learning pays off when tasks share low-level features, when each task "
             "has a similar amount of data so that every task gains from the others, and when the "
             "network is large enough for all of them. If each image has exactly one label, this "
             "is an ordinary softmax classifier, not multi-task learning. Tasks with different "
             "kinds of input have no features to share."),
    numeric("q14",
            "Sum the logistic losses over the outputs that have a label and skip the '?' entries: "
            "for a label 1 the term is -log(y_hat), for a label 0 it is -log(1 - y_hat). A common "
            "slip is to treat '?' as 0, which penalizes the network for outputs nobody checked.",
            tol=0.002),
    single("q15",
           "End-to-end learning needs lots of data pairing the raw input with the final output; "
           "900 photo-to-treatment examples are far too few for a mapping that depends on pest, "
           "severity and crop stage. The pipeline splits the job into a step with plenty of data "
           "(pest recognition) and a step that experts have already written down (the rule "
           "table). With enough end-to-end data, the balance could change."),
]
