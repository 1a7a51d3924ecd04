"""Standard 5's link scan reads a web address as a browser does: an entity, a %-escape, a 'user@' or a
full-width or ideographic full stop does not hide an ineligible company's site or a tracker."""

from __future__ import annotations

import pytest

from coursekit import BASE, MODULE_MD, STORY, assert_clean, expect

ANCHOR = {MODULE_MD: "Cholestatic itch is often worst at night.",
          STORY: "as if it has been waiting for the house to go quiet."}
DISGUISED_COMPANY = [
    '<a href="https://acme-pharma&#46;example/">the maker</a>',
    "[the maker](https://u@acme-pharma.example/)",
    "[the maker](https://acme%2Dpharma.example/)",
    "[the maker](https://acme-pharma\u3002example/)",
    "[the maker](https://acme-pharma\uff0eexample/)",
    "[the maker](https://ａｃｍｅ-pharma.example/)",
]


def _with(path: str, text: str) -> dict:
    anchor = ANCHOR[path]
    return {path: BASE[path].replace(anchor, f"{anchor}\n\n{text}\n", 1)}


@pytest.mark.parametrize("path", [MODULE_MD, STORY])
@pytest.mark.parametrize("text", DISGUISED_COMPANY)
def test_a_disguised_link_to_an_ineligible_company_is_found(course, path, text):
    kit = course(_with(path, text))
    problems = kit.check()
    expect(problems, "marketing.ineligible-link", path, kit.line(path, "the maker"))


def test_a_disguised_tracker_link_is_found(course):
    text = '<a href="https://www&#46;google-analytics&#46;com/collect?v=1">stats</a>'
    kit = course(_with(MODULE_MD, text))
    expect(kit.check(), "marketing.tracker", MODULE_MD, kit.line(MODULE_MD, "stats"))


def test_addresses_and_escapes_elsewhere_stay_clean(course):
    kit = course(_with(MODULE_MD, "Write to cme@example.org, or read https://pbc.example.org/itch%20diary &amp; "
                                  "https://www.nhs.uk/conditions/ at your own pace."))
    assert_clean(kit.check())


@pytest.mark.parametrize("text", ['<img src="img/l&#111;go.png" alt="">', '<img src="img/l%6Fgo.png" alt="">',
                                  '<img src="img/a.png" alt="L&#79;GO">', "![L&#79;GO](img/a.png)"])
def test_an_encoded_logo_is_found(course, text):
    kit = course(_with(MODULE_MD, text))
    expect(kit.check(), "marketing.logo", MODULE_MD, kit.line(MODULE_MD, "img/"))
