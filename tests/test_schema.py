"""Structure rules (schema.*): each field's presence, type, range, allowed values, dates and ids."""

from __future__ import annotations

from coursekit import (BASE, CLINICIAN, COMMITTEE, DATASET, MODULE, MODULE_MD, QUESTIONNAIRE, STORY, assert_clean,
                       expect, refute)


def test_missing_required_top_level_key(course):
    kit = course()
    kit.edit(STORY, "pseudonym: Maria\n", "")
    problems = kit.check()
    problem = expect(problems, "schema.required", STORY, 2)  # the front matter's first line
    assert problem.message == "pseudonym: is required but missing"


def test_missing_required_nested_key_points_at_its_parent(course):
    kit = course()
    kit.edit(STORY, "  reference: PBC-CF-2025-014\n", "")
    problems = kit.check()
    problem = expect(problems, "schema.required", STORY, kit.line(STORY, "consent:"))
    assert problem.message == "consent.reference: is required but missing"


def test_empty_required_value(course):
    kit = course()
    kit.edit(CLINICIAN, "role: clinician", "role:")
    problems = kit.check()
    problem = expect(problems, "schema.required", CLINICIAN, 3)
    assert problem.message == "role: is empty; give it a value"


def test_list_needs_at_least_one_item(course):
    kit = course()
    kit.edit(MODULE_MD, "audience: [Hepatologists, Primary care physicians]", "audience: []")
    problems = kit.check()
    expect(problems, "schema.required", MODULE_MD, kit.line(MODULE_MD, "audience:"))


def test_optional_keys_may_be_left_out(course):
    kit = course()
    kit.edit(STORY, "age_band: 50-59\n", "")
    kit.edit(STORY, "  pag: pbc-patients\n", "")
    kit.edit(CLINICIAN, "affiliation: Royal Example Hospital\n", "")
    problems = kit.check()
    refute(problems, "schema.required")
    refute(problems, "schema.unknown-key")


def test_wrong_type(course):
    kit = course()
    kit.edit(MODULE_MD, "credits: 0.75", "credits: three quarters")
    kit.edit(STORY, "composite: false", "composite: no")
    problems = kit.check()
    credits = expect(problems, "schema.type", MODULE_MD, kit.line(MODULE_MD, "credits:"))
    assert credits.message == "activity.credits: 'three quarters' must be a number"
    composite = expect(problems, "schema.type", STORY, kit.line(STORY, "composite:"))
    assert "must be true or false" in composite.message


def test_text_where_a_list_belongs(course):
    kit = course()
    kit.edit(MODULE_MD, "faculty: [anna-lee]", "faculty: anna-lee")
    problems = kit.check()
    problem = expect(problems, "schema.type", MODULE_MD, kit.line(MODULE_MD, "faculty:"))
    assert "must be a list" in problem.message


def test_age_band_must_be_a_ten_year_band(course):
    for band in ("92 years", "10-29", 54):
        kit = course()
        kit.edit(STORY, "age_band: 50-59", f"age_band: {band}")
        problem = expect(kit.check(), "schema.type", STORY, kit.line(STORY, "age_band:"))
        assert "is not an age band" in problem.message
    for band in ("0-9", "80-89", "'90+'"):
        kit = course()
        kit.edit(STORY, "age_band: 50-59", f"age_band: {band}")
        refute(kit.check(), "schema.type")


def test_types_as_written_are_accepted(course):
    kit = course()
    kit.edit(MODULE_MD, "credits: 0.75", "credits: 1")  # an int is a number
    kit.edit(MODULE_MD, "minutes: 45", "minutes: 60")
    problems = kit.check()
    refute(problems, "schema.type")
    refute(problems, "schema.range")


def test_number_out_of_range(course):
    kit = course()
    kit.edit(MODULE_MD, "minutes: 45", "minutes: 0")
    kit.edit(DATASET, "Never: 62", "Never: -62")
    problems = kit.check()
    expect(problems, "schema.range", MODULE_MD, kit.line(MODULE_MD, "minutes:"))
    problem = expect(problems, "schema.range", DATASET, kit.line(DATASET, "Never:"))
    assert problem.message.startswith("questions[0].results.Never: -62 must be at least 0")


def test_zero_counts_are_in_range(course):
    kit = course()
    kit.edit(DATASET, "      Never: 62\n", "      Never: 62\n      Prefer not to say: 0\n")
    problems = kit.check()
    refute(problems, "schema.range")
    refute(problems, "data.small-cell")  # zero identifies no one


def test_value_not_in_enum(course):
    kit = course()
    kit.edit(STORY, "channels: [web, print]", "channels: [web, email]")
    kit.edit(CLINICIAN, "role: clinician", "role: clinican")
    problems = kit.check()
    channel = expect(problems, "schema.enum", STORY, kit.line(STORY, "channels:"))
    assert channel.message == "consent.channels: 'email' is not one of: web, print"
    role = expect(problems, "schema.enum", CLINICIAN, 3)
    assert "(did you mean 'clinician'?)" in role.message


def test_enum_values_on_separate_lines_point_at_their_line(course):
    kit = course()
    kit.edit(STORY, "channels: [web, print]", "channels:\n    - web\n    - post")
    problems = kit.check()
    expect(problems, "schema.enum", STORY, kit.line(STORY, "- post"))


def test_every_allowed_enum_value_passes(course):
    kit = course()
    kit.edit(STORY, "narrator: patient", "narrator: caregiver")
    kit.edit(STORY, "kind: interview", "kind: pag-submission")
    kit.edit(CLINICIAN, "role: clinician", "role: staff")
    kit.edit(MODULE_MD, "level: competence", "level: patient-health")
    problems = kit.check()
    refute(problems, "schema.enum")


def test_impossible_and_malformed_dates(course):
    kit = course()
    kit.edit(MODULE_MD, "release: 2026-01-15", "release: 2026-02-30")
    kit.edit(STORY, "collected: 2025-03", "collected: 2025-13")
    kit.edit(CLINICIAN, "signed: 2025-11-01", "signed: 1 Nov 2025")
    problems = kit.check()
    release = expect(problems, "schema.date", MODULE_MD, kit.line(MODULE_MD, "release:"))
    assert release.message == "activity.release: '2026-02-30' is not a real calendar date"
    collected = expect(problems, "schema.date", STORY, kit.line(STORY, "collected:"))
    assert "has no month 13" in collected.message
    signed = expect(problems, "schema.date", CLINICIAN, kit.line(CLINICIAN, "signed:"))
    assert "YYYY-MM-DD" in signed.message


def test_quoted_date_says_to_remove_the_quotes(course):
    kit = course()
    kit.edit(MODULE_MD, "release: 2026-01-15", 'release: "2026-01-15"')
    problem = expect(kit.check(), "schema.date", MODULE_MD, kit.line(MODULE_MD, "release:"))
    assert problem.message == "activity.release: '2026-01-15' is quoted, so YAML reads it as text; write it without quotes"


def test_date_with_a_time_is_refused(course):
    kit = course()
    kit.edit(STORY, "date: 2025-03-12", "date: 2025-03-12T09:00:00")
    problems = kit.check()
    expect(problems, "schema.date", STORY, kit.line(STORY, "  date:"))


def test_partial_dates_are_allowed_for_collected_only(course):
    for collected in ("2025", "2025-03", "2025-03-12"):
        kit = course({STORY: BASE[STORY].replace("collected: 2025-03", f"collected: {collected}")})
        problems = kit.check()
        refute(problems, "schema.date")
        assert_clean(problems)
    kit.edit(STORY, "date: 2025-03-12", "date: 2025-03")
    expect(kit.check(), "schema.date", STORY, kit.line(STORY, "  date:"))


def test_bad_ids(course):
    kit = course()
    kit.edit(MODULE_MD, "faculty: [anna-lee]", "faculty: [Anna_Lee]")
    kit.write("content/people/Jo_Smith.yml", "name: Jo Smith\nrole: staff\n")
    problems = kit.check()
    faculty = expect(problems, "schema.id", MODULE_MD, kit.line(MODULE_MD, "faculty:"))
    assert "'Anna_Lee' is not a valid id" in faculty.message
    expect(problems, "schema.id", "content/people/Jo_Smith.yml", 1)


def test_bad_module_folder_name(course):
    kit = course()
    kit.write("modules/Second_Module/index.md", BASE[MODULE_MD].replace("PV-2026-PBC-01", "PV-2026-PBC-02"))
    kit.write("modules/Second_Module/questionnaire.yml", kit.read(QUESTIONNAIRE))
    problems = kit.check()
    expect(problems, "schema.id", "modules/Second_Module", 1)


def test_valid_ids(course):
    story = BASE[STORY].replace("segments: [treatment-experienced, symptom-burden]", "segments: [a1, b-2-c]")
    kit = course({STORY: story, "content/people/jo-smith-2.yml": "name: Jo Smith\nrole: staff\n"})
    problems = kit.check()
    refute(problems, "schema.id")
    assert_clean(problems)


def test_unknown_key_with_hint(course):
    kit = course()
    kit.edit(STORY, "  expires: 2030-03-12", "  expiry: 2030-03-12")
    kit.edit(MODULE_MD, "title: Hearing the itch", "title: Hearing the itch\nsubtitle: x")
    problems = kit.check()
    expiry = expect(problems, "schema.unknown-key", STORY, kit.line(STORY, "expiry:"))
    assert expiry.message == "consent.expiry: unknown key (did you mean 'expires'?)"
    subtitle = expect(problems, "schema.unknown-key", MODULE_MD, 3)
    assert "remove it or check the spelling" in subtitle.message or "did you mean" in subtitle.message


def test_documented_extension_keys_are_known(course):
    kit = course()
    kit.edit(STORY, "composite: false", "composite: false\nwaivers: []")
    problems = kit.check()
    refute(problems, "schema.unknown-key")


def test_duplicate_ids(course):
    kit = course()
    kit.edit(MODULE_MD, "    level: competence\n",
             "    level: competence\n  - id: recognise-burden\n    text: Again\n    level: knowledge\n")
    kit.edit(DATASET, "    answered: 1243\n",
             "    answered: 1243\n    results: {Yes: 1243}\n  - id: fatigue-limits\n    text: t\n    kind: single\n"
             "    answered: 10\n")
    kit.edit(COMMITTEE, "    role: patient-partner\n", "    role: patient-partner\n  - person: anna-lee\n    role: member\n")
    problems = kit.check()
    objective = expect(problems, "schema.duplicate-id", MODULE_MD, kit.line(MODULE_MD, "text: Again") - 1)
    assert f"already used on line {kit.line(MODULE_MD, 'text: Recognise') - 1}" in objective.message
    expect(problems, "schema.duplicate-id", DATASET, kit.line(DATASET, "answered: 10") - 3)
    expect(problems, "schema.duplicate-id", COMMITTEE, 7)


def test_duplicate_questionnaire_item_id(course):
    kit = course()
    kit.edit(QUESTIONNAIRE, "  - id: confidence-itch", "  - id: itch-impact")
    problems = kit.check()
    expect(problems, "schema.duplicate-id", QUESTIONNAIRE, 13)  # the second item's '- id:' line


def test_duplicate_activity_id_across_modules(course):
    kit = course()
    kit.write("modules/second/index.md", BASE[MODULE_MD])
    kit.write("modules/second/questionnaire.yml", kit.read(QUESTIONNAIRE))
    problems = kit.check()
    problem = expect(problems, "schema.duplicate-id", "modules/second/index.md", 4)
    assert MODULE_MD in problem.message
    refute(problems, "schema.duplicate-id", MODULE_MD)


def test_distinct_ids_pass(course):
    kit = course()
    kit.write("modules/second/index.md", BASE[MODULE_MD].replace("PV-2026-PBC-01", "PV-2026-PBC-02"))
    kit.write("modules/second/questionnaire.yml", kit.read(QUESTIONNAIRE))
    problems = kit.check()
    refute(problems, "schema.duplicate-id")
    expect(problems, "review.no-approval", "modules/second/index.md", kit.line("modules/second/index.md", "review:"))


def test_the_module_id_is_its_folder(course):
    from patientvoice.course.loader import load_course

    kit = course()
    loaded, _ = load_course(kit.root)
    assert list(loaded.modules) == [MODULE]
