"""Standard 5 (no marketing): trade-name marks, links to ineligible companies' domains, logos and trackers are
errors at their line in module bodies, story bodies and PAG data text."""

from __future__ import annotations

import time

import pytest

from coursekit import BASE, DATASET, MODULE_MD, PAG, STORY, assert_clean, expect, refute

ANCHOR = {MODULE_MD: "Cholestatic itch is often worst at night.",
          STORY: "as if it has been waiting for the house to go quiet."}


def _with(path: str, text: str) -> dict:
    """Files with ``text`` as a paragraph of its own after the anchor line of a module or story body."""
    anchor = ANCHOR[path]
    return {path: BASE[path].replace(anchor, f"{anchor}\n\n{text}\n", 1)}


@pytest.mark.parametrize("path", [MODULE_MD, STORY])
@pytest.mark.parametrize("text", ["Start Itchaway® at bedtime.", "Itchaway™ cream", "Itchaway&reg; cream",
                                  "Itchaway&#8482; cream"])
def test_a_trade_mark_in_a_body(course, path, text):
    kit = course(_with(path, text))
    problems = kit.check()
    problem = expect(problems, "marketing.trade-mark", path, kit.line(path, text))
    assert "generic name" in problem.message


def test_the_ama_credit_mark_and_plain_generic_names_pass(course):
    kit = course(_with(MODULE_MD, "This activity carries AMA PRA Category 1 Credit™ and *AMA PRA Category 1 "
                                  "Credits™*; cholestyramine is the first step."))
    problems = kit.check()
    refute(problems, "marketing.trade-mark")
    assert_clean(problems)


def test_a_trade_mark_in_pag_data_text(course):
    kit = course({DATASET: BASE[DATASET].replace("funding: No industry funding", "funding: Itchaway® grant")})
    problems = kit.check()
    expect(problems, "marketing.trade-mark", DATASET, kit.line(DATASET, "funding:"))


@pytest.mark.parametrize("path", [MODULE_MD, STORY])
@pytest.mark.parametrize("text", ["[the product](https://acme-pharma.example/itchaway)",
                                  "See <https://www.acme-pharma.example/>.",
                                  "[site](HTTPS://shop.ACME-PHARMA.example)",
                                  "[x][ref]\n\n[ref]: https://acme-pharma.example/a"])
def test_a_link_to_an_ineligible_companys_domain(course, path, text):
    kit = course(_with(path, text))
    problems = kit.check()
    line = kit.line(path, text) if "[ref]:" not in text else kit.line(path, "[ref]:")
    problem = expect(problems, "marketing.ineligible-link", path, line)
    assert "acme-pharma.example" in problem.message


def test_a_trade_mark_in_an_objective_or_a_question(course):
    from coursekit import QUESTIONNAIRE

    kit = course({MODULE_MD: BASE[MODULE_MD].replace("text: Recognise how cholestatic itch",
                                                     "text: Recognise with Itchaway™ how cholestatic itch"),
                  QUESTIONNAIRE: BASE[QUESTIONNAIRE].replace("- Whether she has tried antihistamines",
                                                             "- Whether she has tried Itchaway®")})
    problems = kit.check()
    expect(problems, "marketing.trade-mark", MODULE_MD, kit.line(MODULE_MD, "Itchaway™"))
    expect(problems, "marketing.trade-mark", QUESTIONNAIRE, kit.line(QUESTIONNAIRE, "Itchaway®"))


def test_a_company_domain_in_a_pag_file(course):
    kit = course({PAG: BASE[PAG].replace("relationship: Co-planner;", "relationship: See www.acme-pharma.example;")})
    expect(kit.check(), "marketing.ineligible-link", PAG, kit.line(PAG, "relationship:"))


def test_links_to_eligible_or_lookalike_domains_pass(course):
    kit = course(_with(MODULE_MD, "[guideline](https://easl.example/pbc), "
                                  "[not acme](https://notacme-pharma.example/) and "
                                  "[also not](https://acme-pharma.example.org/)"))
    problems = kit.check()
    refute(problems, "marketing.ineligible-link")
    assert_clean(problems)


@pytest.mark.parametrize("text", ['![Acme logo](itch.png)', '![Chart](acme-logo.png)',
                                  '![Chart](chart.png "Company logo")', '![Chart](chart.png){.logo}',
                                  '<img src="chart.png" alt="Acme Logo">', '<img src="x.png" alt="" class="logo">'])
def test_an_image_marked_as_a_logo(course, text):
    kit = course(_with(MODULE_MD, text))
    problems = kit.check()
    expect(problems, "marketing.logo", MODULE_MD, kit.line(MODULE_MD, text))


def test_a_logo_in_a_story(course):
    kit = course(_with(STORY, "![the pharma logo](logo.png)"))
    expect(kit.check(), "marketing.logo", STORY, kit.line(STORY, "![the pharma logo]"))


def test_ordinary_images_pass(course):
    kit = course(_with(MODULE_MD, '![Itch severity scale](scale.png "A 0-10 scale")\n\n'
                                  '<img src="chart.png" alt="Sleep chart" width="600" height="400">'))
    problems = kit.check()
    refute(problems, "marketing.logo")
    refute(problems, "marketing.tracker")


@pytest.mark.parametrize("text", ["[stats](https://www.google-analytics.com/collect?v=1)",
                                  "<https://ad.doubleclick.net/ddm/track>",
                                  '<img src="pixel.gif" width="1" height="1" alt="">',
                                  '![](pixel.gif){width=1 height=1}'])
def test_a_tracker(course, text):
    kit = course(_with(MODULE_MD, text))
    problems = kit.check()
    expect(problems, "marketing.tracker", MODULE_MD, kit.line(MODULE_MD, text))


def test_a_tracker_link_in_a_story(course):
    kit = course(_with(STORY, "[see](https://connect.facebook.net/en_US/fbevents.js)"))
    expect(kit.check(), "marketing.tracker", STORY, kit.line(STORY, "fbevents"))


def test_a_script_is_one_unsafe_html_problem_not_also_a_tracker(course):
    kit = course(_with(MODULE_MD, '<script src="/assets/local.js"></script>'))
    problems = kit.check()
    expect(problems, "content.unsafe-html", MODULE_MD, kit.line(MODULE_MD, "<script"))
    refute(problems, "marketing.tracker")


def test_ordinary_links_are_not_trackers(course):
    kit = course(_with(MODULE_MD, "[Google Scholar](https://scholar.google.com/) and "
                                  "[analytics primer](https://example.org/google-analytics.com)"))
    problems = kit.check()
    refute(problems, "marketing.tracker")
    assert_clean(problems)


KB64 = 64 * 1024
HOSTILE = [("images", "![" * (KB64 // 2)), ("image-spaces", "![a](" + " " * KB64),
           ("image-title", '![a](x "' + "a" * KB64), ("schemes", "http://" * (KB64 // 7)),
           ("slashes", "/" * KB64), ("www", "www." * (KB64 // 4)), ("marks", "®" * KB64),
           ("entities", "&reg" * (KB64 // 4)), ("ama", "AMA PRA Category 1 Credit" * (KB64 // 25))]


@pytest.mark.parametrize("name, text", HOSTILE, ids=[h[0] for h in HOSTILE])
def test_marketing_scans_are_linear_on_64_kb_of_hostile_text(name, text):
    from patientvoice.compliance.marketing import scan_text

    class Sink:
        def add(self, line, rule, message):
            pass

    start = time.perf_counter()
    scan_text(text, 1, Sink(), {"acme-pharma.example"})
    assert time.perf_counter() - start < 1, name
