"""Per-student feedback as a small, self-contained HTML page (no hidden tests, inputs or expected values)."""
import html

STYLE = """body{font-family:system-ui,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem;color:#222}
table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:.4rem;text-align:left;
vertical-align:top}.passed{color:#17692a}.other{color:#a32020}.note{background:#fff7e0;padding:.5rem 1rem}"""


def page(student, spec, result):
    items = result["items"]
    score = sum(i["score"] for i in items)
    total = sum(i["max_score"] for i in items)
    rows = "".join(
        f"<tr><td><code>{html.escape(i['item'])}</code></td><td>{i['score']:g} / {i['max_score']:g}</td>"
        f"<td class=\"{'passed' if i['status'] == 'passed' else 'other'}\">{html.escape(i['status'])}</td>"
        f"<td>{html.escape(i['message'])}</td></tr>" for i in items)
    notes = "".join(f"<li>{html.escape(n)}</li>" for n in result.get("notes", []))
    notes_html = f"<div class=\"note\"><p>Notes on your submission:</p><ul>{notes}</ul></div>" if notes else ""
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{html.escape(spec.slug)}: feedback for {html.escape(student)}</title>
<style>{STYLE}</style></head><body>
<h1>{html.escape(spec.title)}</h1>
<p>Student <b>{html.escape(student)}</b>, assignment <code>{html.escape(spec.slug)}</code>:
<b>{score:g} / {total:g}</b> points.</p>
{notes_html}
<table><tr><th>graded item</th><th>points</th><th>status</th><th>feedback</th></tr>{rows}</table>
<p>Each function was called on new inputs you have not seen and compared with the reference
solution. To investigate a failure, run the visible test cell after the function: it shows
its inputs and expected values.</p>
</body></html>
"""
