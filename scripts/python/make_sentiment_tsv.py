# Writes corpora/sentiment-tiny.tsv: short movie-review lines written for the project from
# hand-picked phrase lists (deterministic: fixed seed, fixed lists).
import random
random.seed(7)
subjects = ["the film", "this movie", "the acting", "the story", "the ending", "the music", "the script",
            "the cast", "the plot", "the dialogue", "the director's work", "the camera work", "the pacing",
            "the lead actor", "the soundtrack", "this sequel", "the show", "the first half", "the characters", "the jokes"]
good = ["wonderful", "brilliant", "moving", "delightful", "superb", "charming", "funny", "beautiful", "clever",
        "gripping", "lovely", "excellent", "warm", "great", "fresh", "touching", "smart", "stunning", "joyful", "sharp"]
bad = ["boring", "dull", "awful", "clumsy", "tedious", "silly", "terrible", "bland", "lazy", "flat",
       "painful", "weak", "messy", "stale", "dreary", "shallow", "poor", "annoying", "slow", "forgettable"]
pos_tail = ["i loved it", "go and see it", "a real treat", "worth every minute", "i would watch it again",
            "a joy from start to end", "highly recommended", "it made my day", "ten out of ten", "pure fun"]
neg_tail = ["i hated it", "skip this one", "a waste of time", "i walked out", "never again",
            "what a mess", "not recommended", "it ruined my evening", "two out of ten", "pure tedium"]
lines = set()
while len(lines) < 320:
    kind = random.random()
    s = random.choice(subjects)
    if kind < 0.4:
        label = random.choice(["pos", "neg"])
        adj = random.choice(good if label == "pos" else bad)
        tail = random.choice(pos_tail if label == "pos" else neg_tail)
        line = f"{s} was {adj}, {tail}" if random.random() < 0.5 else f"{s} was {adj}"
    elif kind < 0.6:
        label = random.choice(["pos", "neg"])
        a, b = random.sample(good if label == "pos" else bad, 2)
        line = f"{s} is {a} and {b}"
    elif kind < 0.8:
        # negation flips the word's sentiment
        label = random.choice(["pos", "neg"])
        adj = random.choice(bad if label == "pos" else good)
        line = f"{s} was not {adj} at all" if random.random() < 0.5 else f"{s} is not {adj}"
    else:
        label = random.choice(["pos", "neg"])
        line = random.choice(pos_tail if label == "pos" else neg_tail)
        line = f"{line}. {s} was {random.choice(good if label == 'pos' else bad)}"
    lines.add((label, line))
out = sorted(lines, key=lambda x: random.random())
with open("corpora/sentiment-tiny.tsv", "w") as f:
    f.write("# label<TAB>text: short movie-review lines written for RNN Playground (see corpora/README.md)\n")
    for label, line in out:
        f.write(f"{label}\t{line}\n")
