"""The class summary printed at the end of a batch: statuses, mean and median score, slowest submissions."""
import statistics
from collections import Counter


def status_counts(results):
    """{status: number of graded items with it} over `results` (result dicts), most common first."""
    counts = Counter(item["status"] for result in results for item in result["items"])
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def text(slug, results, graded_now, slowest=3):
    """A few lines about a class's results of one assignment (`results`: {student: result dict})."""
    if not results:
        return f"{slug}: no submissions graded"
    totals = {s: sum(i["score"] for i in r["items"]) for s, r in results.items()}
    best = max(sum(i["max_score"] for i in r["items"]) for r in results.values())
    kept = len(results) - graded_now
    lines = [f"{slug}: {len(results)} submissions ({graded_now} graded now"
             + (f", {kept} kept from earlier runs)" if kept else ")"),
             "  items by status: " + ", ".join(f"{k} {v}" for k, v in status_counts(results.values()).items()),
             f"  score (out of {best:g}): mean {statistics.mean(totals.values()):.2f}, "
             f"median {statistics.median(totals.values()):g}"]
    timed = sorted(((r["seconds"], s) for s, r in results.items() if isinstance(r.get("seconds"), (int, float))),
                   reverse=True)[:slowest]
    if timed:
        lines.append("  slowest: " + ", ".join(f"{s} {sec:.1f} s" for sec, s in timed))
    return "\n".join(lines)
