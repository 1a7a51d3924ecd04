"""The outcomes report as one HTML page (also the source of the PDF); every learner's text is escaped."""

from __future__ import annotations

from jinja2 import Environment, select_autoescape
from markupsafe import Markup

from patientvoice.outcomes.methods import METHODS

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
Each learner's first pre-test, <strong>first post-test attempt</strong> and latest follow-up are analysed (by the time they were submitted); retakes are shown apart.
The course lets {{ attempts_allowed }} post-test attempt{{ 's' if attempts_allowed != 1 }} count for credit. <a href="#methods">How these numbers are calculated, and their limits</a>.</p>
{% if skipped %}<details><summary>Skipped responses ({{ skipped|length }})</summary><ul>{% for s in skipped %}<li>{{ s }}</li>{% endfor %}</ul></details>{% endif %}
{% for m in modules %}
<section id="module-{{ m.id }}"><h2>{{ m.title }} <span class="note">({{ m.activity }})</span></h2>
<table><caption>Participation</caption>
<tr><th>Learners</th><th>Pre</th><th>Post</th><th>Follow-up</th><th>Matched pre/post</th><th>Matched pre/follow-up</th><th>Attrition pre→post</th><th>Attrition pre→follow-up</th><th>Passed post-test</th></tr>
<tr><td class="num">{{ m.learners_any }}</td><td class="num">{{ m.learners.pre }}</td><td class="num">{{ m.learners.post }}</td><td class="num">{{ m.learners['follow-up'] }}</td>
<td class="num">{{ m.matched['pre/post'] }}</td><td class="num">{{ m.matched['pre/follow-up'] }}</td>
<td class="num">{{ m.attrition.post|share }}</td><td class="num">{{ m.attrition['follow-up']|share }}</td>
<td class="num">{% if m.pass.mark is not none %}{{ m.pass.passed }} of {{ m.pass.of }} (pass mark {{ m.pass.mark|share }}){% else %}no pass mark{% endif %}</td></tr></table>
{% if m.superseded %}<p class="note">{{ m.superseded }} other response(s) to a phase the learner had already answered (a repeated pre-test, a post-test retake, an earlier follow-up) kept in the history and not analysed.</p>{% endif %}
{% set fl = m.flow %}<table><caption>Participant flow</caption>
<tr><th>Stage</th><th>Learners</th><th>Left out, and why</th></tr>
<tr><td>Started (any response)</td><td class="num">{{ fl.started }}</td><td>{% if fl.pre.without_pre %}{{ fl.pre.without_pre }} without a pre-test (not in any change){% endif %}</td></tr>
<tr><td>Completed the pre-test</td><td class="num">{{ fl.pre.completed }}</td><td>{% if fl.duplicates.pre %}{{ fl.duplicates.pre }} repeated pre-test(s): the first is the baseline{% endif %}</td></tr>
<tr><td>Completed the post-test (first attempt)</td><td class="num">{{ fl.post.completed }} ({{ fl.post.matched }} matched to a pre-test)</td><td>{{ fl.post.no_post }} with a pre-test but no post-test{% if fl.duplicates.post %}; {{ fl.duplicates.post }} retake(s), not analysed{% endif %}</td></tr>
<tr><td>Follow-up</td><td class="num">{{ fl['follow-up'].counted }} counted ({{ fl['follow-up'].matched }} matched to a pre-test)</td><td>{% set ex = fl['follow-up'].excluded %}{{ ex.early or 0 }} early, {{ ex.without_post or 0 }} without a post-test, {{ ex.undated or 0 }} undated{% if fl.duplicates['follow-up'] %}; {{ fl.duplicates['follow-up'] }} repeated (the latest counts){% endif %}</td></tr>
</table>
<p>Response rate: post-test {{ fl.response_rate.post|rate }} of those who took the pre-test; follow-up {{ fl.response_rate['follow-up']|rate }} of those who took the post-test (including learners whose follow-up is not due yet).
{% set d = fl.dropouts %}{% if d %}Learners who took the pre-test but not the post-test ({{ d.left.n }}) scored {{ (100 * d.left.mean)|round|int }}% on the pre-test, those who stayed ({{ d.stayed.n }}) {{ (100 * d.stayed.mean)|round|int }}%: a difference of {{ '%+.0f'|format(100 * d.difference) }} points{% if d.difference_ci %} (95% CI {{ '%+.0f'|format(100 * d.difference_ci[0]) }} to {{ '%+.0f'|format(100 * d.difference_ci[1]) }}){% endif %}, Mann–Whitney {{ d.mann_whitney_p|p }}. A real difference means the change below describes those who stayed, not everyone who started.{% else %}No drop-outs to compare with completers.{% endif %}</p>
{% set at = m.attempts %}<p>Post-test attempts: {{ at.learners }} learner(s), {{ at.attempts_total }} attempt(s); {{ at.retook }} retook it{% if at.retook %} (their first attempt averaged {{ at.first_mean_share|share }}, their best {{ at.best_mean_share|share }}; only first attempts are analysed, because a retake after the answer key was shown measures the key){% endif %}.
{% if m.pass.mark is not none %}Passed on the first attempt: {{ at.passed_first }}; within the {{ at.attempts_counting_for_credit }} attempt(s) that count for credit: {{ at.passed_within_allowed }}.{% endif %}</p>
{% set kt = m.knowledge_total %}{% if kt %}<h3>Knowledge score (per learner)</h3>
<table><caption>Share of the module's knowledge items right, matched learners</caption>
<tr><th>Comparison</th><th>n</th><th>Mean before</th><th>Mean after</th><th>Change (95% CI)</th><th>Cohen's d<sub>z</sub> (95% CI)</th><th>Wilcoxon</th></tr>
{% for p in ['post', 'follow-up'] %}{% set r = kt.get(p) %}{% if r and r.pairs %}<tr><td>pre → {{ p }}</td><td class="num">{{ r.pairs }}</td><td class="num">{{ r.before_mean|share }}</td><td class="num">{{ r.after_mean|share }}</td>
<td class="num">{% if r.effect %}{{ '%+.1f'|format(100 * r.effect.mean_change) }} pts ({{ '%+.1f'|format(100 * r.effect.mean_change_ci[0]) }} to {{ '%+.1f'|format(100 * r.effect.mean_change_ci[1]) }}){% else %}—{% endif %}</td>
<td class="num">{% if r.effect %}{{ '%.2f'|format(r.effect.d_z) }} ({{ '%.2f'|format(r.effect.d_z_ci[0]) }} to {{ '%.2f'|format(r.effect.d_z_ci[1]) }}){% else %}—{% endif %}</td>
<td class="num">{% if r.n %}{{ r.pvalue|p }} ({{ r.method }}){% else %}no change{% endif %}</td></tr>{% endif %}{% endfor %}</table>
{% set r = kt.get('post') %}{% if r and r.effect %}<p class="note">For comparison, meta-analyses of CME report mean effect sizes of about 0.48–0.75 on knowledge (Mansouri &amp; Lockyer 2007: d ≈ 0.6 over 31 studies). This module's d<sub>z</sub> of {{ '%.2f'|format(r.effect.d_z) }} is {{ 'below' if r.effect.d_z_ci[1] < 0.48 else ('above' if r.effect.d_z_ci[0] > 0.75 else 'compatible with') }} that range at its 95% interval. d<sub>z</sub> divides by the spread of the changes, which is usually smaller than the spread of scores the meta-analyses used, so it tends to read higher.</p>{% endif %}{% endif %}
{% set f = m.follow_up %}<p class="note">A follow-up counts only when it was submitted at least {{ f.after_days }} days after the same learner's post-test.
{% if f.not_counted.early %} Early follow-ups, not counted: {{ f.not_counted.early }}.{% endif %}
{% if f.not_counted.without_post %} Follow-ups from learners with no post-test, not counted: {{ f.not_counted.without_post }}.{% endif %}
{% if f.not_counted.undated %} Follow-ups that cannot be dated, not counted: {{ f.not_counted.undated }}.{% endif %}</p>
{% for s in m.survey %}<table><caption>Survey question (not scored): {{ s.stem|truncate(160) }}</caption>
<tr><th>Option</th>{% for p, r in s.phases.items() %}<th>{{ p }} (n = {{ r.respondents }})</th>{% endfor %}</tr>
{% for o in s.options %}{% set i = loop.index0 %}<tr><td>{{ o }}</td>{% for p, r in s.phases.items() %}<td class="num">{{ r.counts[i] }}</td>{% endfor %}</tr>{% endfor %}</table>{% endfor %}
{% if m.waves %}<table><caption>Later follow-up waves (each counts only at least its days after the learner's post-test)</caption>
<tr><th>Wave</th><th>Opens after</th><th>Counted</th><th>Matched to a pre-test</th><th>Not counted</th><th>Knowledge score pre → wave</th></tr>
{% for w in m.waves %}{% set r = w.knowledge_total %}{% set ex = w.not_counted %}<tr><td>Follow-up {{ w.wave }} ({{ w.phase }})</td><td class="num">{{ w.after_days }} days</td><td class="num">{{ w.counted }}</td><td class="num">{{ w.matched }}</td>
<td>{{ ex.early or 0 }} early, {{ ex.without_post or 0 }} without a post-test, {{ ex.undated or 0 }} undated</td>
<td class="num">{% if r and r.pairs %}{{ r.before_mean|share }} → {{ r.after_mean|share }} (n = {{ r.pairs }}{% if r.n %}, Wilcoxon {{ r.pvalue|p }}{% endif %}){% else %}—{% endif %}</td></tr>{% endfor %}</table>{% endif %}

<h3>Objectives and Moore levels</h3>
{{ m.chart }}
<table><caption>Learners meeting each objective (every knowledge item on it correct)</caption>
<tr><th>Objective</th><th>Pre</th><th>Post</th><th>Follow-up</th><th>Change pre→post (matched)</th><th>Change pre→follow-up (matched)</th></tr>
{% for o in m.objectives %}<tr><td>{{ o.text }}</td>{% for p in ['pre', 'post', 'follow-up'] %}<td class="num">{{ o.phases.get(p)|pct }}</td>{% endfor %}
<td class="num">{{ o.post|paired }}</td><td class="num">{{ o['follow-up']|paired }}</td></tr>{% endfor %}</table>
<table><caption>Highest Moore level reached, with the evidence</caption>
<tr><th>Objective</th><th>Designed for</th><th>Highest level shown</th><th>Evidence (n = learners matched between the two phases compared). Knowledge and competence are decided by one pre-specified primary measure, the objective's total score; items are supporting evidence with Holm-adjusted p.</th></tr>
{% for o in m.objectives %}<tr><td>{{ o.text }}</td><td>{{ o.moore.designed_for }}</td><td class="level">{{ o.moore.highest or 'none yet' }}</td>
<td>{% for level, ev in o.moore.evidence.items() %}<div><strong>{{ level }}</strong>: {{ ev|join('; ') }}</div>{% endfor %}
{% if o.moore.not_counted %}<div class="note">Not (yet) counted: {{ o.moore.not_counted|join('; ') }}</div>{% endif %}
{% if o.moore.supporting %}<div class="note">Supporting, deciding nothing: {{ o.moore.supporting|join('; ') }}</div>{% endif %}</td></tr>{% endfor %}</table>

<h3>Knowledge items</h3>
<table><tr><th>Item</th><th>Pre</th><th>Post</th><th>Follow-up</th><th>Change pre→post (matched)</th><th>Change pre→follow-up (matched)</th></tr>
{% for i in m['items'] %}<tr><td><strong>{{ i.id }}</strong>: {{ i.stem|truncate(160) }}</td>{% for p in ['pre', 'post', 'follow-up'] %}<td class="num">{{ i.phases.get(p)|pct }}</td>{% endfor %}
<td class="num">{{ i.post|paired }}</td><td class="num">{{ i['follow-up']|paired }}</td></tr>{% endfor %}</table>
{% if m.item_analysis %}<table><caption>Item analysis (first post-test attempts)</caption>
<tr><th>Item</th><th>n</th><th>Difficulty (share correct)</th><th>Discrimination (corrected point-biserial)</th><th>For the reviewer</th></tr>
{% for a in m.item_analysis %}<tr><td>{{ a.id }}</td><td class="num">{{ a.n }}</td><td class="num">{{ a.difficulty|share }}</td><td class="num">{{ '—' if a.discrimination is none else '%.2f'|format(a.discrimination) }}</td><td>{{ a.flags|join('; ') or ('too few learners to judge' if a.n < 10 else 'no concern') }}</td></tr>{% endfor %}</table>{% endif %}
{% if m.by_profession %}<table><caption>Knowledge score by profession (from credit claims), pre → post</caption>
<tr><th>Profession</th><th>n matched</th><th>Mean before</th><th>Mean after</th><th>d<sub>z</sub> (95% CI)</th><th>Wilcoxon</th></tr>
{% for g, r in m.by_profession.items() %}{% set x = r.get('post') %}<tr><td>{{ g }}</td>{% if x %}<td class="num">{{ x.pairs }}</td><td class="num">{{ x.before_mean|share }}</td><td class="num">{{ x.after_mean|share }}</td>
<td class="num">{% if x.d_z is not none %}{{ '%.2f'|format(x.d_z) }} ({{ '%.2f'|format(x.d_z_ci[0]) }} to {{ '%.2f'|format(x.d_z_ci[1]) }}){% else %}—{% endif %}</td><td class="num">{{ x.pvalue|p }}{% if x.method %} ({{ x.method }}){% endif %}</td>{% else %}<td colspan="5">no matched learners</td>{% endif %}</tr>{% endfor %}</table>{% endif %}

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
<p>{{ c.committed }} commitment(s); {{ c.followed_up }} with a follow-up response, {{ c.no_response }} without; {{ c.reported_change }} report a change made:
{{ c.rate_all|share }} of everyone who committed{% if c.rate_all_ci %} (95% CI {{ c.rate_all_ci[0]|share }}–{{ c.rate_all_ci[1]|share }}){% endif %}, non-respondents counted as no change;
{{ c.rate|share }} of those who answered{% if c.rate_ci %} (95% CI {{ c.rate_ci[0]|share }}–{{ c.rate_ci[1]|share }}){% endif %}. Follow-up answers are self-reported, and whether an answer reports a change is
decided by a word heuristic (see the methods): read the answers below before quoting the rate.</p>
{% for e in c.entries %}<blockquote>{{ e.commitment }}</blockquote>{% if e.follow_up %}{% for t in e.follow_up %}<blockquote class="followup">Follow-up: {{ t }}</blockquote>{% endfor %}{% endif %}{% endfor %}
{% for t in m.texts %}{% if t.answers %}<h3>{{ t.stem }} <span class="note">({{ t.phase }}, {{ t.answers|length }})</span></h3>
{% for a in t.answers %}<blockquote>{{ a }}</blockquote>{% endfor %}{% endif %}{% endfor %}
</section>
{% endfor %}
{% if programme.modules|length > 1 %}<section id="programme"><h2>Programme: all modules</h2>
<table><caption>Knowledge score (share of items right), pre → post, per module and pooled</caption>
<tr><th>Module</th><th>n matched</th><th>Mean before</th><th>Mean after</th><th>Change (95% CI)</th><th>d<sub>z</sub> (95% CI)</th><th>Wilcoxon</th></tr>
{% for row in programme.modules + [dict(id='pooled', title='All modules pooled', post=programme.pooled.post)] %}{% set x = row.post %}<tr><td>{{ row.title }}</td>{% if x %}<td class="num">{{ x.pairs }}</td><td class="num">{{ x.before_mean|share }}</td><td class="num">{{ x.after_mean|share }}</td>
<td class="num">{% if x.mean_change_ci %}{{ '%+.1f'|format(100 * (x.after_mean - x.before_mean)) }} ({{ '%+.1f'|format(100 * x.mean_change_ci[0]) }} to {{ '%+.1f'|format(100 * x.mean_change_ci[1]) }}){% else %}—{% endif %}</td>
<td class="num">{% if x.d_z is not none %}{{ '%.2f'|format(x.d_z) }} ({{ '%.2f'|format(x.d_z_ci[0]) }} to {{ '%.2f'|format(x.d_z_ci[1]) }}){% else %}—{% endif %}</td><td class="num">{{ x.pvalue|p }}{% if x.method %} ({{ x.method }}){% endif %}</td>{% else %}<td colspan="6">no matched learners</td>{% endif %}</tr>{% endfor %}</table>
<p class="note">Pooled: every learner-module pair of the course together; a learner who took several modules counts once per module, so the pooled p-value is descriptive.</p></section>{% endif %}
<section id="methods"><h2>How these numbers are calculated, and their limits</h2>{{ methods }}</section>
</main></body></html>
"""




def _share(v) -> str:
    return "—" if v is None else f"{100 * v:.0f}%"


def _pct(d) -> str:
    if d is None:
        return "not asked"
    if not d["n"]:
        return "—"
    return Markup("{:.0f}% ({}/{})<br><span class=\"note\">{:.0f}–{:.0f}%</span>").format(
        d["percent"], d["correct"], d["n"], *d["ci"])


def _p(p) -> str:
    if p is None:
        return "no test"
    return "p < 0.001" if p < 0.001 else f"p = {p:.3f}"


def _rate(r) -> str:
    if not r or not r["n"]:
        return "—"
    return f"{r['k']}/{r['n']} = {100 * r['rate']:.0f}% (95% CI {100 * r['ci'][0]:.0f}–{100 * r['ci'][1]:.0f}%)"


def _paired(r) -> Markup | str:
    if not r:
        return "—"
    lo, hi = r["change_ci"]
    return Markup("{:+.1f} pts<br>({:+.1f} to {:+.1f})<br>{} exact<br>mid-p {:.3f}<br>h = {:.2f}<br>n = {}").format(
        r["change"], lo, hi, _p(r["pvalue"]), r["midp"], r["h"], r["n"])


def _wilcoxon(r) -> str:
    if not r.get("pairs"):
        return "no matched pairs yet; no test"
    if not r.get("n"):
        return f"{r['pairs']} matched pair(s), none changed; no test"
    how = r["method"]
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
    env.filters.update(share=_share, pct=_pct, paired=_paired, wilcoxon=_wilcoxon, scale=_scale, rate=_rate, p=_p)
    return env.from_string(TEMPLATE).render(css=CSS, methods=Markup(METHODS), **data)
