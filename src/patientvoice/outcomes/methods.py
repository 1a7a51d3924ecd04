"""The methods section of the outcomes report: how each number is calculated, and its limits (HTML)."""

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
