"""The outcomes report as one HTML page (also the source of the PDF); every learner's text is escaped."""

from __future__ import annotations

from jinja2 import Environment, select_autoescape
from markupsafe import Markup

CSS = """
@page { size: A4; margin: 18mm 16mm; @bottom-right { content: "Page " counter(page) " of " counter(pages); font-size: 9pt; } }
body { font-family: Helvetica, Arial, sans-serif; color: #1a1a1a; max-width: 60rem; margin: 0 auto; padding: 1rem; line-height: 1.45; }
h1 { font-size: 1.7rem; } h2 { border-bottom: 2px solid #1d5fa3; padding-bottom: .2rem; margin-top: 2.5rem; }
h2, h3, caption { break-after: avoid; } tr, svg.chart, blockquote { break-inside: avoid; }
table { border-collapse: collapse; margin: .5rem 0 1rem; font-size: .9rem; width: 100%; }
th, td { border: 1px solid #8c8c8c; padding: .25rem .45rem; text-align: left; vertical-align: top; }
th { background: #eef2f7; } td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
caption { text-align: left; font-weight: bold; padding: .3rem 0; }
.note { color: #4a4a4a; font-size: .9em; } .level { font-weight: bold; }
blockquote { margin: .3rem 0 .6rem; padding: .2rem .8rem; border-left: 4px solid #1d5fa3; background: #f6f8fb; white-space: pre-wrap; }
.followup { border-left-color: #9a4a00; }
svg.chart { max-width: 100%; height: auto; }
@media print { body { font-size: 9.5pt; max-width: none; padding: 0; } table { font-size: 8.5pt; } td.num { white-space: normal; } }
"""

TEMPLATE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Outcomes report{% if provider %} — {{ provider }}{% endif %}</title><style>{{ css }}</style></head>
<body><main>
<h1>Outcomes report{% if provider %}: {{ provider }}{% endif %}</h1>
<p>Generated {{ generated }} from {{ source }}: {{ responses }} response(s) read{% if skipped %}, {{ skipped|length }} skipped{% endif %}.
Each learner's first pre-test, latest post-test and latest follow-up count (by the time they were submitted). <a href="#methods">How these numbers are calculated, and their limits</a>.</p>
{% if skipped %}<details><summary>Skipped responses ({{ skipped|length }})</summary><ul>{% for s in skipped %}<li>{{ s }}</li>{% endfor %}</ul></details>{% endif %}
{% for m in modules %}
<section id="module-{{ m.id }}"><h2>{{ m.title }} <span class="note">({{ m.activity }})</span></h2>
<table><caption>Participation</caption>
<tr><th>Learners</th><th>Pre</th><th>Post</th><th>Follow-up</th><th>Matched pre/post</th><th>Matched pre/follow-up</th><th>Attrition pre→post</th><th>Attrition pre→follow-up</th><th>Passed post-test</th></tr>
<tr><td class="num">{{ m.learners_any }}</td><td class="num">{{ m.learners.pre }}</td><td class="num">{{ m.learners.post }}</td><td class="num">{{ m.learners['follow-up'] }}</td>
<td class="num">{{ m.matched['pre/post'] }}</td><td class="num">{{ m.matched['pre/follow-up'] }}</td>
<td class="num">{{ m.attrition.post|share }}</td><td class="num">{{ m.attrition['follow-up']|share }}</td>
<td class="num">{% if m.pass.mark is not none %}{{ m.pass.passed }} of {{ m.pass.of }} (pass mark {{ m.pass.mark|share }}){% else %}no pass mark{% endif %}</td></tr></table>
{% if m.superseded %}<p class="note">{{ m.superseded }} other response(s) to a phase the learner had already answered (a repeated pre-test, an earlier post-test or follow-up) kept in the history and not counted.</p>{% endif %}
{% set f = m.follow_up %}<p class="note">A follow-up counts only when it was submitted at least {{ f.after_days }} days after the same learner's post-test.
{% if f.not_counted.early %} Early follow-ups, not counted: {{ f.not_counted.early }}.{% endif %}
{% if f.not_counted.without_post %} Follow-ups from learners with no post-test, not counted: {{ f.not_counted.without_post }}.{% endif %}
{% if f.not_counted.undated %} Follow-ups that cannot be dated, not counted: {{ f.not_counted.undated }}.{% endif %}</p>

<h3>Objectives and Moore levels</h3>
{{ m.chart }}
<table><caption>Learners meeting each objective (every knowledge item on it correct)</caption>
<tr><th>Objective</th><th>Pre</th><th>Post</th><th>Follow-up</th><th>Change pre→post (matched)</th><th>Change pre→follow-up (matched)</th></tr>
{% for o in m.objectives %}<tr><td>{{ o.text }}</td>{% for p in ['pre', 'post', 'follow-up'] %}<td class="num">{{ o.phases.get(p)|pct }}</td>{% endfor %}
<td class="num">{{ o.post|paired }}</td><td class="num">{{ o['follow-up']|paired }}</td></tr>{% endfor %}</table>
<table><caption>Highest Moore level reached, with the evidence</caption>
<tr><th>Objective</th><th>Designed for</th><th>Highest level shown</th><th>Evidence (n = learners matched between the two phases compared)</th></tr>
{% for o in m.objectives %}<tr><td>{{ o.text }}</td><td>{{ o.moore.designed_for }}</td><td class="level">{{ o.moore.highest or 'none yet' }}</td>
<td>{% for level, ev in o.moore.evidence.items() %}<div><strong>{{ level }}</strong>: {{ ev|join('; ') }}</div>{% endfor %}
{% if o.moore.not_counted %}<div class="note">Not (yet) counted: {{ o.moore.not_counted|join('; ') }}</div>{% endif %}</td></tr>{% endfor %}</table>

<h3>Knowledge items</h3>
<table><tr><th>Item</th><th>Pre</th><th>Post</th><th>Follow-up</th><th>Change pre→post (matched)</th><th>Change pre→follow-up (matched)</th></tr>
{% for i in m['items'] %}<tr><td><strong>{{ i.id }}</strong>: {{ i.stem|truncate(160) }}</td>{% for p in ['pre', 'post', 'follow-up'] %}<td class="num">{{ i.phases.get(p)|pct }}</td>{% endfor %}
<td class="num">{{ i.post|paired }}</td><td class="num">{{ i['follow-up']|paired }}</td></tr>{% endfor %}</table>

{% if m.likert %}<h3>Self-ratings (likert items)</h3>
{% for x in m.likert %}<table><caption>{{ x.id }}: {{ x.stem }}</caption>
<tr><th>Phase</th><th>n</th><th>Median</th>{% for s in x.scale %}<th>{{ s }}</th>{% endfor %}</tr>
{% for p, d in x.phases.items() %}<tr><td>{{ p }}</td><td class="num">{{ d.n }}</td><td>{{ d.median|scale(x.scale) }}</td>{% for c in d.counts %}<td class="num">{{ c }}</td>{% endfor %}</tr>{% endfor %}
{% for p in ['post', 'follow-up'] %}{% if x.get(p) %}<tr><td colspan="{{ 3 + x.scale|length }}">Pre→{{ p }}: {{ x[p]|wilcoxon }}</td></tr>{% endif %}{% endfor %}
</table>{% endfor %}{% endif %}

{% if m.evaluation %}<h3>Evaluation of the activity (post-test)</h3>
{% for e in m.evaluation %}{% if e.kind == 'text' %}<h4>{{ e.stem }} <span class="note">({{ e.answers|length }})</span></h4>
{% for a in e.answers %}<blockquote>{{ a }}</blockquote>{% else %}<p class="note">No answers.</p>{% endfor %}
{% else %}<table><caption>{{ e.stem }}</caption>
<tr><th>n</th>{% for lb in e.labels %}<th>{{ lb }}</th>{% endfor %}{% if e.kind == 'likert' %}<th>Favourable</th>{% endif %}</tr>
<tr><td class="num">{{ e.n }}</td>{% for c in e.counts %}<td class="num">{{ c }}</td>{% endfor %}{% if e.kind == 'likert' %}<td class="num">{{ e.favourable }} ({{ (e.favourable / e.n if e.n else none)|share }})</td>{% endif %}</tr></table>{% endif %}{% endfor %}
<p class="note">n is the learners who answered the item; a multiple choice item counts each option chosen.
Favourable means the top half of the scale, without the neutral midpoint.</p>{% endif %}

<h3>Commitments to change</h3>
{% set c = m.commitments %}
<p>{{ c.committed }} commitment(s); {{ c.followed_up }} with a follow-up response; {{ c.reported_change }} of those report a change made
(implementation rate {{ c.rate|share }}). Follow-up answers are self-reported, and whether an answer reports a change is
decided by a word heuristic (see the methods): read the answers below before quoting the rate.</p>
{% for e in c.entries %}<blockquote>{{ e.commitment }}</blockquote>{% if e.follow_up %}{% for t in e.follow_up %}<blockquote class="followup">Follow-up: {{ t }}</blockquote>{% endfor %}{% endif %}{% endfor %}
{% for t in m.texts %}{% if t.answers %}<h3>{{ t.stem }} <span class="note">({{ t.phase }}, {{ t.answers|length }})</span></h3>
{% for a in t.answers %}<blockquote>{{ a }}</blockquote>{% endfor %}{% endif %}{% endfor %}
</section>
{% endfor %}
<section id="methods"><h2>How these numbers are calculated, and their limits</h2>{{ methods }}</section>
</main></body></html>
"""

METHODS = """
<p><strong>Matching.</strong> A learner's responses are matched across phases by their learner code. Responses are
ordered by the time the learner submitted them (the collector's receipt time only breaks ties, and stands in when a
response has no submitted time), so an older attempt delivered late does not replace a newer one. The baseline is
the <em>first</em> pre-test a learner submitted, so a repeated pre-test cannot replace it; for the post-test and the
follow-up the latest counts. The others stay in the database as history. A follow-up counts only when it was
submitted at least the questionnaire's <code>follow_up_after_days</code> after the same learner's counted post-test;
earlier follow-ups, and follow-ups from learners without a post-test, are counted apart and used nowhere else. Percent correct per
phase uses everyone who answered that phase; every change, test and effect size uses matched pairs only, so the
percentages in a row and the change beside them can differ. Attrition is the share of pre-test learners without a
response in the later phase, including those whose follow-up is not due yet; learners who drop out may differ from those who stay, which can inflate the change.</p>
<p><strong>Scoring.</strong> The collector scores single and multiple choice items against the questionnaire's key
(a multiple choice item is correct only when exactly the keyed options are chosen); scores sent by a browser are
never used; in the learner's pass or fail an unanswered knowledge item counts as wrong. In this report an
item's percent correct counts the learners who answered it. A learner meets an objective in a phase when every
knowledge item on it is correct (one left unanswered is not met; a learner who answered none of them is left
out); for a change, only items asked in both phases are used.</p>
<p><strong>McNemar's exact test</strong> compares matched yes/no answers using only the learners who changed
(b wrong→right, c right→wrong): the two-sided binomial probability of a split at least as uneven as b:c if
changes in either direction were equally likely. With fewer than six discordant pairs no result can reach
p &lt; 0.05, so small modules will often show no significant change even when the change is real.</p>
<p><strong>Cohen's h</strong> = 2·asin√p<sub>after</sub> − 2·asin√p<sub>before</sub>, the difference between two
proportions on a scale where 0.2 is conventionally small, 0.5 medium and 0.8 large. It was designed for independent
samples; here it describes the size of the matched change and is not a test.</p>
<p><strong>Wilcoxon signed-rank test</strong> (likert items) ranks the non-zero changes of matched learners by size;
unchanged learners are left out (Wilcoxon's method). With at most 50 pairs and no ties or zeros the p-value is
exact; otherwise it uses the normal approximation with the variance corrected for ties, without continuity
correction (SciPy's method="asymptotic"; for fewer than 14 pairs with ties SciPy's default would run a
permutation test instead, which can give a somewhat different p-value). Likert data has many ties, so the approximation is usual here and is rough
below about 10 changed learners. The effect size is the <strong>matched-pairs rank-biserial r</strong> =
(W<sup>+</sup> − W<sup>−</sup>) / (W<sup>+</sup> + W<sup>−</sup>), from −1 (everyone rated lower) to +1 (everyone
rated higher).</p>
<p><strong>Moore levels.</strong> Participation: learners completed the post-test. Satisfaction: a majority of the
learners who answered a likert item of the post-test evaluation (or a post-test likert item tied to no objective)
chose the top half of its scale, the neutral midpoint excluded. Knowledge: a knowledge measure of the objective
improved from pre to post, or from pre to follow-up (retained), with p &lt; 0.05. Competence: the same, for objectives
written at competence level or above (the items are case vignettes), or a self-rating tied to the objective that
improved (self-assessed). Performance, for performance objectives only, needs a measure of practice: a likert item
whose scale counts how often (Never … At every review) that improved from pre to follow-up, or a majority of the
learners who made a commitment (tied to the objective, or to no objective) reporting a change at follow-up. Both are
self-reported, weaker than chart or registry data; retained knowledge and confidence at follow-up count at the
knowledge and competence levels only. Patient health cannot be shown by a questionnaire. A measure that improved
without reaching p &lt; 0.05 is listed as not counted. In the evidence, n is always the number of learners matched
between the two phases compared (for a self-rating, how many of them changed their rating is given too).</p>
<p><strong>Commitments.</strong> Commitments and free-text answers are shown verbatim. The implementation rate is
the share of learners who made a commitment and answered the follow-up whose answer reports a change. Whether an
answer reports a change is a word heuristic, not a reading: an answer that opens with a refusal ("No, …", "None so
far", "Nope", "Not really") or only negates or puts off doing something ("I have not changed anything", "haven't had
the chance", "waiting for the new protocol") counts as no change, unless the rest of it names something done ("No
barriers; I now ask every patient"). Irony, unusual wording or a change described without a verb of doing can be
misread either way. It is self-reported, and learners who do not answer the follow-up are often those who did not
change.</p>
<p><strong>Small numbers.</strong> Below about 20 matched pairs, treat every p-value and effect size as
descriptive. Many items and objectives are tested at once without correction for multiple comparisons, so about
one in twenty comparisons can look significant by chance.</p>
"""


def _share(v) -> str:
    return "—" if v is None else f"{100 * v:.0f}%"


def _pct(d) -> str:
    if d is None:
        return "not asked"
    return "—" if not d["n"] else f"{d['percent']:.0f}% ({d['correct']}/{d['n']})"


def _p(p) -> str:
    return "p < 0.001" if p < 0.001 else f"p = {p:.3f}"


def _paired(r) -> Markup | str:
    if not r:
        return "—"
    return Markup("{:+.1f} pts<br>{}<br>h = {:.2f}<br>n = {}").format(r["change"], _p(r["pvalue"]), r["h"], r["n"])


def _wilcoxon(r) -> str:
    if not r.get("pairs"):
        return "no matched pairs yet; no test"
    if not r.get("n"):
        return f"{r['pairs']} matched pair(s), none changed; no test"
    how = "exact" if r["method"] == "exact" else "normal approximation"
    return (f"{r['pairs']} matched pairs, {r['n']} changed; W = {r['statistic']:g}, {_p(r['pvalue'])} ({how}), "
            f"rank-biserial r = {r['rank_biserial']:+.2f}")


def _scale(median, labels) -> str:
    if median is None:
        return "—"
    if median == int(median):
        return labels[int(median)]
    return f"between {labels[int(median)]} and {labels[int(median) + 1]}"


def render(data: dict) -> str:
    """Render the report page from the outcomes data (charts already made)."""
    env = Environment(autoescape=select_autoescape(default=True, default_for_string=True))
    env.filters.update(share=_share, pct=_pct, paired=_paired, wilcoxon=_wilcoxon, scale=_scale)
    return env.from_string(TEMPLATE).render(css=CSS, methods=Markup(METHODS), **data)
