"""The methods section of the outcomes report: how each number is calculated, and its limits (HTML)."""

METHODS = """
<p><strong>Matching.</strong> A learner's responses are matched across phases by their learner code. Responses are
ordered by the time the learner submitted them (the collector's receipt time only breaks ties, and stands in when a
response has no submitted time), so an older attempt delivered late does not replace a newer one. The baseline is
the <em>first</em> pre-test a learner submitted, so a repeated pre-test cannot replace it. The post-test analysed is the
learner's <em>first</em> attempt: a retake after the answer key and rationales were shown measures the key, so retakes
are reported apart (how many retook, their first against their best score). For the follow-up the latest counts. The others stay in the database as history. A follow-up counts only when it was
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
<p><strong>Intervals.</strong> Every interval is 95 %. Shares have Wilson score intervals; a matched change in a share
has Newcombe's (1998) interval for paired proportions (method 10); the mean change of the knowledge score has a paired
t interval, and Cohen's d<sub>z</sub> an interval from the noncentral t distribution.</p>
<p><strong>McNemar's exact test</strong> compares matched yes/no answers using only the learners who changed
(b wrong→right, c right→wrong): the two-sided binomial probability of a split at least as uneven as b:c if
changes in either direction were equally likely. The exact p is conservative; the mid-p beside it (the exact p less
the probability of the observed split) keeps closer to the nominal level. With fewer than six discordant pairs the
exact p cannot reach 0.05.</p>
<p><strong>Cohen's h</strong> = 2·asin√p<sub>after</sub> − 2·asin√p<sub>before</sub>, the difference between two
proportions on a scale where 0.2 is conventionally small, 0.5 medium and 0.8 large. It describes the size of the
matched change and is not a test.</p>
<p><strong>Wilcoxon signed-rank test</strong> (likert items, objective totals, the knowledge score) ranks the non-zero
changes of matched learners by size; unchanged learners are left out. The method is named beside each p: <em>exact</em>
(no ties or zeros, at most 50 pairs); <em>exact permutation</em> (with ties or zeros: every sign pattern of the observed
ranks, as SciPy's permutation method, computed exactly up to 400 changed learners); <em>normal approximation</em>
(larger samples, tie-corrected). Five learners who all improved give p = 0.0625, never less. The effect size is the
matched-pairs rank-biserial r = (W<sup>+</sup> − W<sup>−</sup>) / (W<sup>+</sup> + W<sup>−</sup>).</p>
<p><strong>Knowledge score and d<sub>z</sub>.</strong> Each matched learner's share of the module's knowledge items
right, before and after. Cohen's d<sub>z</sub> is the mean change divided by the standard deviation of the changes.
Meta-analyses of CME report mean knowledge effects of about 0.48–0.75 (Mansouri &amp; Lockyer 2007, d ≈ 0.6);
d<sub>z</sub> tends to read higher than their between-group d, because changes vary less than scores.</p>
<p><strong>Moore levels.</strong> Participation: learners completed the post-test. Satisfaction: a majority of the
learners who answered a likert item of the post-test evaluation (or a post-test likert item tied to no objective)
chose the top half of its scale, the neutral midpoint excluded. Knowledge is decided by one <em>pre-specified primary
measure</em> per objective: the objective's total score (its knowledge items right), compared pre→post (or
pre→follow-up, retained) in matched learners by the Wilcoxon test, improved with p &lt; 0.05. Competence: the same,
for objectives written at competence level or above (the items are case vignettes). Single items and the share of
learners meeting the objective are supporting evidence, shown with Holm-adjusted p, and decide nothing: counting any
one significant item would reach a level by chance far more often than 1 in 20. Self-ratings tied to the objective
show competence (self-assessed), and for performance objectives a frequency scale ("how often") that improved by
follow-up shows performance (self-reported); both are judged with Holm's correction across the objective's items of
that kind. Performance can also come from commitments: a majority of <em>everyone who made a commitment</em> reporting
a change at follow-up; learners who did not answer count as no change. Patient health cannot be shown by a
questionnaire.</p>
<p><strong>Participant flow and drop-outs.</strong> The flow counts learners at each stage and the responses left
out, with reasons. The response rate of each wave has a Wilson interval. Learners who took the pre-test but not the
post-test are compared with those who stayed on their pre-test score (difference with a Welch interval, Mann–Whitney
p): a real difference means the change describes those who stayed.</p>
<p><strong>Item analysis.</strong> Difficulty is the share answering an item correctly on the first post-test;
discrimination the correlation of the item with the rest of the post-test (corrected point-biserial). With at least
10 learners, an item above 90 % or below 20 % correct, or with discrimination below 0.2, is flagged for review.</p>
<p><strong>Commitments.</strong> Commitments and free-text answers are shown verbatim. The implementation rate is
the share of learners who made a commitment and answered the follow-up whose answer reports a change; beside it,
the share of everyone who made a commitment, non-respondents counted as no change (the figure performance is judged on). Whether an
answer reports a change is a word heuristic, not a reading: an answer that opens with a refusal ("No, …", "None so
far", "Nope", "Not really") or only negates or puts off doing something ("I have not changed anything", "haven't had
the chance", "waiting for the new protocol") counts as no change, unless the rest of it names something done ("No
barriers; I now ask every patient"). Irony, unusual wording or a change described without a verb of doing can be
misread either way. It is self-reported, and learners who do not answer the follow-up are often those who did not
change.</p>
<p><strong>Small numbers.</strong> Below about 20 matched pairs, treat every p-value and effect size as
descriptive and read the intervals. Results by profession come from credit claims (profession only, never names);
small groups give wide intervals. The pooled programme figures count a learner once per module taken, so their
p-value is descriptive.</p>
"""
