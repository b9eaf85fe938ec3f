"""The class report: one self-contained HTML page on how a class did, for the instructor.

Why: grades.csv says who scored what. An instructor also wants to see which items were hard,
which ones separate strong from weak students, which catalogued mistakes are common, how long
grading took, and which submissions to compare side by side (similarity.py). The page needs
no network (figures are inline SVG) and is the same byte for byte when made again from the
same results, so it can be committed, diffed and mailed.

Where the data comes from: `load_out` reads an `autograde --out` folder (results/<student>/
<slug>.json and run.json) into `ClassResults`; nothing else here knows that layout, so an
nbgrader course-directory mode needs only its own loader (gradebook and autograded/).
"""
import html
import json
import math
import re
import statistics
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from . import similarity, spec as specs
from .outdir import Refused

STATUS_ORDER = ["passed", "partial", "failed", "error", "timeout", "not-implemented", "missing", "not-plain",
                "crashed", "out-of-memory", "output-flood", "invalid-notebook", "missing-notebook", "grader-error", "not-graded"]
STATUS_COLOUR = {"passed": "#2e7d32", "partial": "#9ccc65", "failed": "#c62828", "error": "#ef6c00",
                 "timeout": "#6a1b9a", "not-implemented": "#9e9e9e", "missing": "#c7c7c7",
                 "not-plain": "#00838f", "crashed": "#4e342e", "out-of-memory": "#ad1457",
                 "output-flood": "#283593", "invalid-notebook": "#8d6e63", "missing-notebook": "#e6e6e6",
                 "grader-error": "#000000", "not-graded": "#ffffff"}
MISTAKE = re.compile(r"Likely mistake: (.+)$", re.S)
MAX_PAIRS_SHOWN = 200


@dataclass
class ClassResults:
    """One assignment's results for a class: what the report needs, whatever stored them."""
    slug: str
    title: str
    items: list                      # [(item, max points)], the spec's order: every graded item
    results: dict                    # {student: {"items": [{item, score, max_score, status, message}],
                                     #            "seconds": float (optional)}}
    submissions: Path = None         # where the submitted notebooks are (for similarity), if known
    run: dict = field(default_factory=dict)  # the last grading run (seed, started, grader commit)


def slugs_in(out):
    """Every assignment with results in an --out folder."""
    return sorted({p.stem for p in Path(out).glob("results/*/*.json")})


def load_out(out, slug, submissions=None):
    """ClassResults of `slug` from an autograde --out folder; `submissions` overrides run.json's."""
    out = Path(out)
    results = {}
    for path in sorted(out.glob(f"results/*/{slug}.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if isinstance(data, dict) and isinstance(data.get("items"), list):
            results[data.get("student_id") or path.parent.name] = data
    if not results:
        raise Refused(f"{out} holds no results for {slug} (expected {out}/results/<student>/{slug}.json): "
                      f"run `python -m grader autograde {slug} --submissions ... --out {out}` first")
    try:
        runs = json.loads((out / "run.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        runs = []
    runs = [r for r in runs if isinstance(r, dict)] if isinstance(runs, list) else []
    mine = [r for r in runs if r.get("assignment") == slug]
    run = mine[-1] if mine else {}
    if submissions is None:
        recorded = next((r.get("submissions") for r in reversed(mine or runs) if r.get("submissions")), None)
        submissions = recorded
    try:
        spec = specs.load(slug)
        items, title = [(t.name, t.points) for t in spec.tests], spec.title
    except SystemExit:  # an assignment no longer in solutions/: what the results name
        items, title = [], slug
    known = {name for name, _ in items}
    for result in results.values():
        for item in result["items"]:
            if item["item"] not in known:
                items.append((item["item"], item["max_score"]))
                known.add(item["item"])
    return ClassResults(slug, title, items, results, Path(submissions) if submissions else None,
                        {k: run.get(k) for k in ("seed", "started", "grader_commit") if run.get(k) is not None})


# ---------------------------------------------------------------- statistics

@dataclass
class ItemStats:
    item: str
    points: float
    pass_rate: float
    difficulty: float                # mean fraction of the points
    discrimination: float            # item-rest correlation; nan when undefined
    statuses: Counter
    mistakes: Counter


def pearson(x, y):
    """Pearson correlation, nan when either side is constant or there are fewer than 3 values."""
    n = len(x)
    if n < 3:
        return math.nan
    mx, my = sum(x) / n, sum(y) / n
    sxx = sum((a - mx) ** 2 for a in x)
    syy = sum((b - my) ** 2 for b in y)
    if sxx <= 1e-12 or syy <= 1e-12:
        return math.nan
    return sum((a - mx) * (b - my) for a, b in zip(x, y)) / math.sqrt(sxx * syy)


def likely_mistake(message):
    """The catalogued mistake named in a feedback message ("... Likely mistake: <description>."), or None."""
    m = MISTAKE.search(message or "")
    return m.group(1).strip().removesuffix(".") if m else None


def item_stats(cr):
    """[ItemStats] in item order, and {student: total score}."""
    by_student = {s: {i["item"]: i for i in r["items"]} for s, r in cr.results.items()}
    totals = {s: sum(i["score"] for i in items.values()) for s, items in by_student.items()}
    students = sorted(cr.results)
    stats = []
    for name, points in cr.items:
        rows = [by_student[s].get(name) for s in students]
        scores = [r["score"] if r else 0.0 for r in rows]
        statuses = Counter(r["status"] if r else "not-graded" for r in rows)  # item added since
        mistakes = Counter(m for r in rows if r and (m := likely_mistake(r.get("message"))))
        n = len(students)
        stats.append(ItemStats(
            name, points, statuses["passed"] / n if n else 0.0,
            sum(scores) / (n * points) if n and points else 0.0,
            pearson(scores, [totals[s] - x for s, x in zip(students, scores)]), statuses, mistakes))
    return stats, totals


# ---------------------------------------------------------------- figures (inline SVG, reproducible)

def _rc(salt):
    return {"svg.hashsalt": f"grader-report-{salt}", "svg.fonttype": "none", "svg.image_inline": True,
            "font.family": ["DejaVu Sans"], "font.size": 9, "axes.titlesize": 10, "axes.labelsize": 9,
            "axes.spines.top": False, "axes.spines.right": False, "axes.grid": False, "figure.dpi": 72,
            "savefig.dpi": 72, "savefig.facecolor": "white", "path.simplify": True, "axes.unicode_minus": False}


def _svg(fig, salt):
    import io
    import matplotlib
    buf = io.StringIO()
    with matplotlib.rc_context(_rc(salt)):
        fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None})
    text = buf.getvalue()
    return text[text.index("<svg"):]  # drop the XML prolog and doctype: the SVG goes inline


def _figure(salt, width, height):
    import matplotlib
    matplotlib.use("Agg")
    from matplotlib.figure import Figure
    with matplotlib.rc_context(_rc(salt)):
        fig = Figure(figsize=(width, height), layout="constrained")
        return fig, fig.add_subplot()


def _fig_scores(cr, totals, salt):
    import matplotlib
    best = sum(p for _, p in cr.items) or 1
    with matplotlib.rc_context(_rc(salt)):
        fig, ax = _figure(salt, 8.4, 2.6)
        values = list(totals.values())
        if best <= 30 and float(best).is_integer() and all(float(v).is_integer() for v in values):
            bins = [k - 0.5 for k in range(int(best) + 2)]
        else:
            bins = [best * k / 20 for k in range(21)]
        ax.hist(values, bins=bins, color="#3f6fb5", edgecolor="white")
        ax.set_xlim(bins[0], bins[-1])
        ax.set_xlabel(f"total score (out of {best:g})")
        ax.set_ylabel("students")
        ax.yaxis.get_major_locator().set_params(integer=True)
        return _svg(fig, salt)


def _fig_pass_rate(stats, salt):
    import matplotlib
    with matplotlib.rc_context(_rc(salt)):
        fig, ax = _figure(salt, 8.4, 0.8 + 0.24 * len(stats))
        names = [s.item for s in stats][::-1]
        rates = [100 * s.pass_rate for s in stats][::-1]
        ax.barh(names, rates, color="#2e7d32", height=0.6)
        for y, r in enumerate(rates):
            ax.text(min(r + 1, 92), y, f"{r:.0f}%", va="center", fontsize=8)
        ax.set_xlim(0, 100)
        ax.set_xlabel("students who passed the item (%)")
        return _svg(fig, salt)


def _fig_statuses(stats, salt):
    import matplotlib
    present = Counter()
    for s in stats:
        present.update(s.statuses)
    order = [k for k in STATUS_ORDER if present[k]] + sorted(k for k in present if k not in STATUS_ORDER)
    with matplotlib.rc_context(_rc(salt)):
        fig, ax = _figure(salt, 8.4, 1.1 + 0.24 * len(stats))
        names = [s.item for s in stats][::-1]
        left = [0] * len(names)
        for status in order:
            counts = [s.statuses[status] for s in stats][::-1]
            ax.barh(names, counts, left=left, height=0.6, label=status,
                    color=STATUS_COLOUR.get(status, "#607d8b"), edgecolor="white", linewidth=0.5)
            left = [a + b for a, b in zip(left, counts)]
        ax.set_xlabel("students")
        ax.set_xlim(0, max(left + [1]))
        ax.xaxis.get_major_locator().set_params(integer=True)
        fig.legend(loc="outside upper center", ncols=min(len(order), 5), frameon=False, fontsize=8)
        return _svg(fig, salt)


def _fig_seconds(cr, salt):
    import matplotlib
    timed = sorted(((r["seconds"], s) for s, r in cr.results.items()
                    if isinstance(r.get("seconds"), (int, float))), key=lambda t: (-t[0], t[1]))
    if not timed:
        return ""
    with matplotlib.rc_context(_rc(salt)):
        fig, ax = _figure(salt, 8.4, 2.6)
        if len(timed) <= 60:
            ax.bar(range(len(timed)), [t for t, _ in timed], color="#78909c", width=0.8)
            if len(timed) <= 30:
                ax.set_xticks(range(len(timed)), [s for _, s in timed], rotation=60, ha="right", fontsize=7)
            else:
                ax.set_xticks([])
            ax.set_xlabel("submissions, slowest first")
        else:
            ax.hist([t for t, _ in timed], bins=20, color="#78909c", edgecolor="white")
            ax.set_xlabel("seconds")
        ax.set_ylabel("seconds" if len(timed) <= 60 else "submissions")
        return _svg(fig, salt)


def _fig_course(sections, salt):
    import matplotlib
    with matplotlib.rc_context(_rc(salt)):
        fig, ax = _figure(salt, 8.4, 0.8 + 0.26 * len(sections))
        names = [cr.slug for cr, _, _ in sections][::-1]
        means = []
        for cr, stats, totals in sections[::-1]:
            best = sum(p for _, p in cr.items) or 1
            means.append(100 * statistics.mean(totals.values()) / best)
        ax.barh(names, means, color="#3f6fb5", height=0.6)
        for y, m in enumerate(means):
            ax.text(min(m + 1, 92), y, f"{m:.0f}%", va="center", fontsize=8)
        ax.set_xlim(0, 100)
        ax.set_xlabel("mean score (% of the points)")
        return _svg(fig, salt)


# ---------------------------------------------------------------- the page

STYLE = """body{font-family:system-ui,sans-serif;max-width:62rem;margin:2rem auto;padding:0 1rem;color:#222}
h1{font-size:1.6rem}h2{margin-top:2.5rem;border-bottom:2px solid #ddd}h3{margin-top:1.8rem}
table{border-collapse:collapse;margin:.5rem 0 1rem}td,th{border-bottom:1px solid #ddd;padding:.3rem .6rem;
text-align:left;vertical-align:top}td.n{text-align:right;font-variant-numeric:tabular-nums}
.fig svg{max-width:100%;height:auto}.note{background:#fff7e0;padding:.6rem 1rem;border-left:4px solid #e0b000}
.muted{color:#666}code{font-family:ui-monospace,monospace,monospace;font-size:.9em}"""


def _e(text):
    return html.escape(str(text))


def _num(x, fmt="{:.2f}"):
    return "–" if x is None or (isinstance(x, float) and math.isnan(x)) else fmt.format(x)


def _section(cr, stats, totals, pairs, attempts, similarity_note, n, level=2):
    h, sub = f"h{level}", f"h{level + 1}"
    best = sum(p for _, p in cr.items)
    values = list(totals.values())
    run = ", ".join(f"{k.replace('_', ' ')} {_e(v)}" for k, v in cr.run.items())
    parts = [f'<{h} id="{_e(cr.slug)}">{_e(cr.title)} <code>{_e(cr.slug)}</code></{h}>',
             f"<p>{len(values)} students, {len(cr.items)} graded items, {best:g} points. Total score: mean "
             f"{statistics.mean(values):.2f}, median {statistics.median(values):g}, "
             f"min {min(values):g}, max {max(values):g}."
             + (f' <span class="muted">Last grading run: {run}.</span>' if run else "") + "</p>",
             f"<{sub}>Scores</{sub}>", f'<div class="fig">{_fig_scores(cr, totals, f"{n}-scores")}</div>',
             f"<{sub}>Pass rate per item</{sub}>", f'<div class="fig">{_fig_pass_rate(stats, f"{n}-pass")}</div>',
             f"<{sub}>Statuses per item</{sub}>", f'<div class="fig">{_fig_statuses(stats, f"{n}-status")}</div>',
             f"<{sub}>Difficulty and discrimination</{sub}>",
             "<p>Difficulty: the mean fraction of the item's points the class earned (1 = everyone, 0 = nobody). "
             "Discrimination: the item-rest correlation, the Pearson correlation between the item's score and the "
             "rest of the total; near 0 or negative, the item does not separate students who do well from those "
             "who do not (– when undefined: everyone scored the same on it, or on the rest).</p>",
             "<table><tr><th>item</th><th>points</th><th>passed</th><th>difficulty</th><th>discrimination</th>"
             "<th>statuses</th></tr>"]
    for s in stats:
        statuses = ", ".join(f"{k} {v}" for k, v in sorted(s.statuses.items(), key=lambda kv: (-kv[1], kv[0])))
        parts.append(f"<tr><td><code>{_e(s.item)}</code></td><td class=n>{s.points:g}</td>"
                     f"<td class=n>{100 * s.pass_rate:.0f}%</td><td class=n>{s.difficulty:.2f}</td>"
                     f"<td class=n>{_num(s.discrimination)}</td><td>{_e(statuses)}</td></tr>")
    parts.append("</table>")
    parts.append(f"<{sub}>Most common catalogued mistakes</{sub}>")
    rows = [(s.item, m, c) for s in stats for m, c in sorted(s.mistakes.items(), key=lambda kv: (-kv[1], kv[0]))[:3]]
    if rows:
        parts.append("<p>Wrong answers equal to an entry of the assignment's mistake catalogue on every case "
                     "(the three most common per item).</p><table><tr><th>item</th><th>likely mistake</th>"
                     "<th>students</th></tr>")
        parts += [f"<tr><td><code>{_e(i)}</code></td><td>{_e(m)}</td><td class=n>{c}</td></tr>" for i, m, c in rows]
        parts.append("</table>")
    else:
        parts.append("<p>No wrong answer matched the mistake catalogue.</p>")
    parts.append(f"<{sub}>Grading time per submission</{sub}>")
    seconds = _fig_seconds(cr, f"{n}-seconds")
    timed = [r["seconds"] for r in cr.results.values() if isinstance(r.get("seconds"), (int, float))]
    if seconds:
        parts.append(f"<p>Seconds to run each notebook's cells and its graded calls in the sandbox: median "
                     f"{statistics.median(timed):.1f} s, total {sum(timed):.1f} s over {len(timed)} submissions "
                     f"(missing and unreadable notebooks are not run).</p>")
        parts.append(f'<div class="fig">{seconds}</div>')
    else:
        parts.append("<p>No timings recorded.</p>")
    parts.append(f"<{sub}>Similar code</{sub}>")
    parts.append(similarity_note)
    if pairs is not None:
        flat = sorted((p for ps in pairs.values() for p in ps),
                      key=lambda p: (-p.similarity, p.item, p.student_a, p.student_b))
        judged = ", ".join(f"{k} {v}" for k, v in attempts.items())
        parts.append(f'<p class="muted">Students who wrote more than the stub, per function: {_e(judged)}.</p>')
        if flat:
            parts.append("<table><tr><th>student</th><th>student</th><th>function</th><th>similarity</th></tr>")
            parts += [f"<tr><td>{_e(p.student_a)}</td><td>{_e(p.student_b)}</td><td><code>{_e(p.item)}</code></td>"
                      f"<td class=n>{p.similarity:.2f}</td></tr>" for p in flat[:MAX_PAIRS_SHOWN]]
            parts.append("</table>")
            if len(flat) > MAX_PAIRS_SHOWN:
                parts.append(f"<p>{len(flat) - MAX_PAIRS_SHOWN} more pairs in similarity.csv.</p>")
        else:
            parts.append("<p>No pair above the threshold.</p>")
    return "\n".join(parts)


def _similarity_note(threshold, common, min_shared):
    return ('<p class="note">These pairs flag work for a person to review; they accuse nobody. Students '
            "learn together, short answers are often written alike, and copying that changes a function's "
            "structure is not caught. Each graded function is compared after normalising its code (names "
            "of arguments and local variables, comments, docstrings and formatting ignored; the order of "
            "statements ignored). Code of the released stub, lines of the mistake catalogue's variants, and "
            f"statements present in more than {common:.0%} of the attempts weigh nothing. Listed: pairs at least "
            f"{threshold:.0%} similar that share at least {min_shared} syntax nodes of the rest.</p>")


def build(out, slugs, submissions=None, threshold=similarity.THRESHOLD, common=similarity.COMMON,
          min_shared=similarity.MIN_SHARED, warn=None, dest=None, name="report"):
    """Write <dest>/<name>.html and its similarity CSV for `slugs` (dest defaults to `out`, the results);
    returns (report path, csv path or None, number of pairs). Several slugs make one course-wide page.

    The CSV is <dest>/similarity.csv beside report.html, or <dest>/<name>-similarity.csv for another name
    (an nbgrader course keeps one page per assignment in reports/).
    """
    out = Path(out)
    dest = Path(dest or out)
    dest.mkdir(parents=True, exist_ok=True)
    warn = warn or (lambda message: None)
    classes = [load_out(out, slug, submissions) for slug in slugs]
    sections, all_pairs, missing = [], [], []
    note = _similarity_note(threshold, common, min_shared)
    for cr in classes:
        stats, totals = item_stats(cr)
        pairs = attempts = None
        if cr.submissions and cr.submissions.is_dir():
            pairs, attempts = similarity.compare_class(cr.submissions, cr.slug, students=set(cr.results),
                                                       threshold=threshold, common=common, min_shared=min_shared)
            all_pairs += [(cr.slug, p) for ps in pairs.values() for p in ps]
            cr_note = note
        else:
            missing.append(cr.slug)
            where = f"{cr.submissions} does not exist" if cr.submissions else "no submissions folder is known"
            cr_note = (f'<p class="note">Not compared: {_e(where)}. Run the report with '
                       "<code>--submissions DIR</code>.</p>")
            warn(f"warning: {cr.slug}: similarity not computed: {where} (give --submissions DIR)")
        sections.append((cr, stats, totals, pairs, attempts, cr_note))
    course = len(classes) > 1
    body = []
    if course:
        body.append("<h1>Course report</h1>")
        body.append("<table><tr><th>assignment</th><th>students</th><th>points</th><th>mean</th><th>median</th>"
                    "<th>items passed</th><th>grading (median s)</th><th>similar pairs</th></tr>")
        for cr, stats, totals, pairs, _, _ in sections:
            best = sum(p for _, p in cr.items) or 1
            passed = sum(s.statuses["passed"] for s in stats) / max(1, len(stats) * len(totals))
            timed = [r["seconds"] for r in cr.results.values() if isinstance(r.get("seconds"), (int, float))]
            flagged = "–" if pairs is None else sum(len(ps) for ps in pairs.values())
            body.append(f'<tr><td><a href="#{_e(cr.slug)}"><code>{_e(cr.slug)}</code></a></td>'
                        f"<td class=n>{len(totals)}</td><td class=n>{best:g}</td>"
                        f"<td class=n>{100 * statistics.mean(totals.values()) / best:.0f}%</td>"
                        f"<td class=n>{100 * statistics.median(totals.values()) / best:.0f}%</td>"
                        f"<td class=n>{100 * passed:.0f}%</td>"
                        f"<td class=n>{_num(statistics.median(timed) if timed else None, '{:.1f}')}</td>"
                        f"<td class=n>{flagged}</td></tr>")
        body.append("</table>")
        body.append(f'<div class="fig">{_fig_course([(c, s, t) for c, s, t, *_ in sections], "course")}</div>')
        title = "Course report"
    else:
        body.append("<h1>Class report</h1>")
        title = f"{classes[0].slug}: class report"
    for n, (cr, stats, totals, pairs, attempts, cr_note) in enumerate(sections):
        body.append(_section(cr, stats, totals, pairs, attempts, cr_note, n, level=2))
    page = (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>{_e(title)}</title>\n'
            f"<style>{STYLE}</style></head><body>\n" + "\n".join(body) + "\n</body></html>\n")
    report = dest / f"{name}.html"
    tmp = dest / f".{name}.html.tmp"
    tmp.write_text(page, encoding="utf-8")
    tmp.replace(report)
    csv_path = dest / ("similarity.csv" if name == "report" else f"{name}-similarity.csv")
    if len(missing) == len(classes):
        csv_path.unlink(missing_ok=True)  # nothing compared: no stale file from an earlier report
        csv_path = None
    else:
        similarity.write_csv(csv_path, all_pairs, qualify=course)
    return report, csv_path, len(all_pairs)


def main(args):
    """`python -m grader report <slug>... --out DIR [--all] [--submissions DIR]` (see __main__.py)."""
    import sys
    out = Path(args.out)
    if not out.is_dir():
        raise Refused(f"--out {out} is not a folder: give the --out folder of `python -m grader autograde`")
    slugs = list(dict.fromkeys(args.assignments))
    if not slugs:
        if not args.all:
            raise Refused("name an assignment, or pass --all for every assignment graded in --out")
        slugs = slugs_in(out)
        if not slugs:
            raise Refused(f"{out} holds no results (expected {out}/results/<student>/<slug>.json)")
    options = {k: v for k, v in (("threshold", args.threshold), ("common", args.common),
                                  ("min_shared", args.min_shared)) if v is not None}
    warn = lambda message: print(message, file=sys.stderr)  # noqa: E731
    where = {}
    if getattr(args, "reports", None):                  # an nbgrader course: reports/<slug>.html
        where = {"dest": args.reports, "name": slugs[0] if len(slugs) == 1 else "course"}
    path, csv_path, n = build(out, slugs, args.submissions, warn=warn, **where, **options)
    print(f"report: {path}")
    if csv_path:
        print(f"similarity: {csv_path} ({n} pair{'s' if n != 1 else ''} to review)")
    return 0
