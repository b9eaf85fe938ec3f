"""Make docs/report.png, the README's picture of a class report: a synthetic class of 24, graded, reported.

    .venv/bin/python docs/report_example.py [--keep DIR]

Each student's graded functions are drawn (seeded) from the solution, the catalogued mistakes,
the stub, an exception, and once an endless loop; two students hand in the same notebook, partly
written in their own way. Then
`python -m grader autograde` (sandboxed where bubblewrap works), `python -m grader report`, and
a headless Chromium screenshot of the page, in two columns, reduced to a small palette PNG.
"""
import argparse
import random
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from grader import catalogue, notebook, sandbox  # noqa: E402
from grader.paths import NOTEBOOKS, SOLUTIONS  # noqa: E402

SLUG = "c1w4a_deep_nn_step_by_step"
STUDENTS = ["amara", "bao", "carmen", "dmitri", "elif", "femi", "gita", "hugo", "ines", "jae", "kofi", "lena",
            "mateo", "nadia", "oskar", "priya", "quinn", "rosa", "sami", "tomas", "uma", "viktor", "wen", "yusuf"]


OWN = {
    "linear_backward": """# GRADED FUNCTION: linear_backward

def linear_backward(dZ, cache):
    A_prev, W, b = cache
    m = A_prev.shape[1]
    dW = (1 / m) * dZ.dot(A_prev.T)
    db = (1 / m) * np.sum(dZ, axis=1).reshape(-1, 1)
    dA_prev = W.T.dot(dZ)
    return dA_prev, dW, db
""",
    "update_parameters": """# GRADED FUNCTION: update_parameters

def update_parameters(params, grads, learning_rate):
    parameters = {k: v.copy() for k, v in params.items()}
    for l in range(1, len(parameters) // 2 + 1):
        for p in ("W", "b"):
            parameters[p + str(l)] = parameters[p + str(l)] - learning_rate * grads["d" + p + str(l)]
    return parameters
"""}


def make_class(root, seed=7):
    rng = random.Random(seed)
    solution = nbformat.read(SOLUTIONS / SLUG / f"{SLUG}.ipynb", as_version=4)
    stub = nbformat.read(NOTEBOOKS / SLUG / f"{SLUG}.ipynb", as_version=4)
    solved = {notebook.graded_name(c.source): c.source for c in solution.cells if c.cell_type == "code"}
    mistakes = {}
    for entry in catalogue.load(SLUG):
        if entry.kind == "mistake":
            mistakes.setdefault(entry.item, []).append(entry.source)
    names = list(notebook.graded_cells(solution))
    for k, student in enumerate(STUDENTS):
        skill = 0.35 + 0.6 * k / len(STUDENTS)  # some students do better than others
        nb = nbformat.from_dict(stub)
        for cell in nb.cells:
            name = notebook.graded_name(cell.source) if cell.cell_type == "code" else None
            if name is None:
                continue
            pick = rng.random()
            if pick < skill * (1 - names.index(name) / 25):
                cell.source = solved[name]
            elif pick < 0.9 and mistakes.get(name):
                cell.source = f"# GRADED FUNCTION: {name}\n\n{rng.choice(mistakes[name])}\n"
            elif pick < 0.95:
                head = cell.source.split('"""')[0] + '"""' + cell.source.split('"""')[1] + '"""\n'
                cell.source = head + "    raise NotImplementedError('not finished')\n"
        if student == "viktor":  # code of his own, which wen hands in too
            for cell in nb.cells:
                if cell.cell_type == "code" and notebook.graded_name(cell.source) in OWN:
                    cell.source = OWN[notebook.graded_name(cell.source)]
        if student == "oskar":  # an endless loop in one function: a timeout
            for cell in nb.cells:
                if cell.cell_type == "code" and notebook.graded_name(cell.source) == "compute_cost":
                    cell.source = solved["compute_cost"].replace("    m = Y.shape[1]", "    m = Y.shape[1]\n"
                                                                 "    while True:\n        pass")
        folder = root / student / SLUG
        folder.mkdir(parents=True)
        notebook.write(nb, folder / f"{SLUG}.ipynb")
    shutil.rmtree(root / "wen")
    shutil.copytree(root / "viktor", root / "wen")  # the same notebook twice


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--keep", help="make the class and results here (default: a temporary folder)")
    args = parser.parse_args()
    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="report-example-"))
    subs, out = work / "submissions", work / "graded"
    if subs.exists():
        shutil.rmtree(subs)
    make_class(subs)
    python = sys.executable
    sandboxed = sandbox.available_or_notice("grading the example class")
    subprocess.run([python, "-m", "grader", "autograde", SLUG, "--submissions", str(subs), "--out", str(out),
                    "--test-seconds", "2", "--seed", "1", "--quiet", "--regrade"]
                   + ([] if sandboxed else ["--no-sandbox"]), check=True, cwd=ROOT)
    subprocess.run([python, "-m", "grader", "report", SLUG, "--out", str(out)], check=True, cwd=ROOT)
    shot = work / "report-full.png"
    subprocess.run(["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                    f"--screenshot={shot}", "--window-size=1000,4800", (out / "report.html").as_uri()],
                   check=True, capture_output=True)
    from PIL import Image, ImageChops
    page = Image.open(shot).convert("RGB")
    used = ImageChops.difference(page, Image.new("RGB", page.size, "white")).getbbox()
    page = page.crop((0, 0, page.width, used[3] + 30))
    half = (page.height + 1) // 2  # the page in two columns, side by side
    cut = next((y for y in range(half, page.height) if not ImageChops.difference(
        page.crop((0, y, page.width, y + 1)), Image.new("RGB", (page.width, 1), "white")).getbbox()), half)
    both = Image.new("RGB", (2 * page.width, cut), "white")
    both.paste(page.crop((0, 0, page.width, cut)), (0, 0))
    both.paste(page.crop((0, cut, page.width, page.height)), (page.width, 0))
    both = both.resize((both.width * 45 // 100, both.height * 45 // 100), Image.LANCZOS)
    both.quantize(colors=64, method=Image.Quantize.MEDIANCUT).save(ROOT / "docs" / "report.png", optimize=True)
    print(f"docs/report.png ({(ROOT / 'docs' / 'report.png').stat().st_size // 1024} KiB); class and report in {work}")


if __name__ == "__main__":
    main()
