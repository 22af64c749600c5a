"""``feedback survey translations export|import``: a survey's texts through PO files and back."""

from __future__ import annotations

import gettext
from pathlib import Path
from typing import Any, Literal

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

from feedback.cli import FeedbackGroup, LazyCommand, lazy_command_problems
from feedback.options import Text
from feedback.survey import QuestionBase, survey_model
from feedback_translations.strings import entries, is_text

#: A survey as an author writes it: comments, flow and block mappings, a text that is the same
#: in every language, options given by id alone, two identical labels in different places.
SURVEY_YAML = """\
# Evaluation of the regional seminar (kept as the author wrote it)
id: regional
title: {en: "Regional seminar", nl: "Regionaal seminar"}
description:
  en: "Five minutes on the seminar."
  nl: "Vijf minuten over het seminar."
languages: [en, nl]

scales:
  agree3:
    points:
      - {id: disagree, label: {en: "Disagree", nl: "Oneens"}}
      - {id: neutral, label: {en: "Neutral", nl: "Neutraal"}}
      - {id: agree, label: {en: "Agree", nl: "Eens"}}
    na: {id: dont_know, label: {en: "Don't know", nl: "Weet niet"}}

sections:
  - id: about
    title: {en: "About you", nl: "Over u"}
    questions:
      - id: role
        type: single_choice
        label: {en: "Your role?", nl: "Uw rol?"}
        choices:
          - {id: mp, label: {en: "MP", nl: "Parlementslid"}}
          - ngo            # shown as "Ngo"
          - {id: other, label: {en: "Other", nl: "Anders"}}
      - id: age
        type: number
        label: "Age"     # the same in every language
        help: {en: "In years.", nl: "In jaren."}
  - id: views
    intro: {en: "Your views.", nl: "Uw mening."}
    questions:
      - id: useful
        type: likert
        label: {en: "The seminar was useful.", nl: "Het seminar was nuttig."}
        scale: agree3
      - id: topics
        type: multi_choice
        label: {en: "Topics?", nl: "Onderwerpen?"}
        choices:
          - {id: law, label: {en: "Law", nl: "Wet"}}
          - {id: other, label: {en: "Other", nl: "Anders"}}
thank_you: {en: "Thank you!", nl: "Dank u!"}
"""

FRENCH = {
    "survey/title": "Séminaire régional",
    "survey/description": "Cinq minutes sur le séminaire.",
    "section:about/title": "À propos de vous",
    "question:role/label": "Votre rôle ?",
    "question:role/choices/mp/label": "Député",
    "question:role/choices/ngo/label": "ONG",
    "question:role/choices/other/label": "Autre (rôle)",
    "question:age/label": "Âge",
    "question:age/help": "En années.",
    "question:useful/label": "Le séminaire était utile.",
    "scale:agree3/points/disagree/label": "Pas d'accord",
    "scale:agree3/points/neutral/label": "Neutre",
    "scale:agree3/points/agree/label": "D'accord",
    "scale:agree3/na/label": "Ne sais pas",
    "question:topics/label": "Sujets ?",
    "question:topics/choices/law/label": "Droit",
    "question:topics/choices/other/label": "Autre (sujet)",
    "section:views/intro": "Votre avis.",
    "survey/thank_you": "Merci !",
}


@pytest.fixture
def survey_file(feedback_project: Path) -> Path:
    path = feedback_project / "surveys" / "regional.yaml"
    path.write_text(SURVEY_YAML, encoding="utf-8")
    return path


def _export(feedback_cli: Any, tmp_path: Path, language: str, name: str = "out.po") -> Catalog:
    out = tmp_path / name
    result = feedback_cli(
        "survey", "translations", "export", "regional", "-l", language, "-o", str(out)
    )
    assert result.exit_code == 0, result.output
    with out.open("rb") as handle:
        return read_po(handle)


def _write(catalog: Catalog, path: Path) -> Path:
    with path.open("wb") as handle:
        write_po(handle, catalog)
    return path


def _translated(catalog: Catalog, texts: dict[str, str]) -> Catalog:
    """What a translator does in a PO editor: fill in msgstr."""
    for message in catalog:
        if message.id and message.context in texts:
            message.string = texts[message.context]
    return catalog


def _survey(feedback_engine: Any, path: Path) -> Any:
    return feedback_engine.read_survey(path)


def test_export_then_import_of_the_same_translations_leaves_the_survey_unchanged(
    feedback_cli: Any, feedback_engine: Any, survey_file: Path, tmp_path: Path
) -> None:
    before = _survey(feedback_engine, survey_file)
    catalog = _export(feedback_cli, tmp_path, "nl")
    assert catalog.get("Your role?", context="question:role/label").string == "Uw rol?"

    result = feedback_cli("survey", "translations", "import", str(tmp_path / "out.po"))

    assert result.exit_code == 0, result.output
    assert survey_file.read_text(encoding="utf-8") == SURVEY_YAML
    after = _survey(feedback_engine, survey_file)
    assert after == before
    assert after.version == before.version


def test_a_french_po_adds_french_and_the_survey_shows_it(
    feedback_cli: Any, feedback_engine: Any, survey_file: Path, tmp_path: Path
) -> None:
    catalog = _translated(_export(feedback_cli, tmp_path, "fr"), FRENCH)
    po = _write(catalog, tmp_path / "fr.po")

    result = feedback_cli("survey", "translations", "import", str(po))

    assert result.exit_code == 0, result.output
    assert "19 translations were written" in result.output
    survey = _survey(feedback_engine, survey_file)
    assert survey.languages == ["en", "nl", "fr"]
    text = survey_file.read_text(encoding="utf-8")
    assert text.startswith("# Evaluation of the regional seminar (kept as the author wrote it)")
    assert "# shown as" in text and "# the same in every language" in text  # edited in place
    shown = feedback_cli("survey", "show", "regional", "--lang", "fr")
    assert shown.exit_code == 0, shown.output
    for words in ("Séminaire régional", "Votre rôle ?", "ONG", "Âge", "Pas d'accord", "Merci !"):
        assert words in shown.output
    # the other languages keep what they showed: a shared text stays, an id alone stays humanised
    dutch = feedback_cli("survey", "show", "regional", "--lang", "nl").output
    assert "Age" in dutch and "Ngo" in dutch and "Uw rol?" in dutch
    # exported again, the French is there
    again = _export(feedback_cli, tmp_path, "fr", "again.po")
    assert again.get("Age", context="question:age/label").string == "Âge"


def test_missing_fuzzy_changed_and_obsolete_are_listed_and_not_applied(
    feedback_cli: Any, feedback_engine: Any, survey_file: Path, tmp_path: Path
) -> None:
    texts = {k: v for k, v in FRENCH.items() if k != "survey/thank_you"}  # one left empty
    catalog = _translated(_export(feedback_cli, tmp_path, "fr"), texts)
    catalog.get("Your role?", context="question:role/label").flags.add("fuzzy")
    catalog.add("Gone", "Parti", context="question:removed/label")
    changed = catalog.get("Topics?", context="question:topics/label")
    catalog.delete("Topics?", context="question:topics/label")
    catalog.add("Which topics?", changed.string, context="question:topics/label")
    po = _write(catalog, tmp_path / "fr.po")

    result = feedback_cli("survey", "translations", "import", str(po))

    assert result.exit_code == 0, result.output
    out = result.output
    assert "missing (no translation): 1\n  survey/thank_you\n" in out
    assert "fuzzy (not applied): 1\n  question:role/label\n" in out
    assert "source text changed since the export (not applied: re-export): 1\n" in out
    assert "  question:topics/label\n" in out
    assert "no longer in the survey (not applied): 1\n  question:removed/label\n" in out
    survey = _survey(feedback_engine, survey_file)
    # not applied: the source text stands in for French (a survey holds each text in each language)
    assert survey.text(survey.question("role").label, "fr") == "Your role?"
    assert survey.text(survey.question("topics").label, "fr") == "Topics?"
    assert survey.text(survey.thank_you, "fr") == "Thank you!"
    assert survey.text(survey.question("useful").label, "fr") == "Le séminaire était utile."
    # and the next export asks for them again, not for the stand-ins
    again = _export(feedback_cli, tmp_path, "fr", "again.po")
    assert again.get("Your role?", context="question:role/label").string == ""
    assert again.get("Thank you!", context="survey/thank_you").string == ""


def test_dry_run_lists_and_writes_nothing(
    feedback_cli: Any, survey_file: Path, tmp_path: Path
) -> None:
    po = _write(_translated(_export(feedback_cli, tmp_path, "fr"), FRENCH), tmp_path / "fr.po")
    result = feedback_cli("survey", "translations", "import", str(po), "--dry-run")
    assert result.exit_code == 0, result.output
    assert "19 translations would be written" in result.output
    assert survey_file.read_text(encoding="utf-8") == SURVEY_YAML


def test_contexts_are_stable_across_exports_and_identical_texts_keep_their_own(
    feedback_cli: Any, survey_file: Path, tmp_path: Path
) -> None:
    first = _export(feedback_cli, tmp_path, "fr", "first.po")
    # the author reorders the sections and the questions of a section
    text = SURVEY_YAML
    about = text[text.index("  - id: about") : text.index("  - id: views")]
    views = text[text.index("  - id: views") : text.index("thank_you:")]
    role = about[about.index("      - id: role") : about.index("      - id: age")]
    about = about.replace(role, "") + role
    survey_file.write_text(text.replace(about + views, views + about), encoding="utf-8")
    second = _export(feedback_cli, tmp_path, "fr", "second.po")

    def pairs(catalog: Catalog) -> set[tuple[str | None, Any]]:
        return {(m.context, m.id) for m in catalog if m.id}

    assert pairs(first) == pairs(second)
    order = [m.context for m in second if m.id]
    start = order.index("section:views/intro")
    assert order[start : start + 4] == [
        "section:views/intro",
        "question:useful/label",
        "question:topics/label",
        "question:topics/choices/law/label",
    ]
    others = [m.context for m in first if m.id == "Other"]
    assert others == ["question:role/choices/other/label", "question:topics/choices/other/label"]


def test_the_header_names_the_survey_the_language_and_its_plural_forms(
    feedback_cli: Any, feedback_engine: Any, survey_file: Path, tmp_path: Path
) -> None:
    catalog = _export(feedback_cli, tmp_path, "pl")
    survey = _survey(feedback_engine, survey_file)
    assert (catalog.project, catalog.version) == ("regional", survey.version)
    assert str(catalog.locale) == "pl" and catalog.num_plurals == 3
    # The Polish rule of the GNU gettext manual ("Plural forms", Polish):
    # nplurals=3; plural=n==1 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2;
    gnu = gettext.c2py("n==1 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2")
    ours = gettext.c2py(catalog.plural_expr)
    assert [ours(n) for n in range(300)] == [gnu(n) for n in range(300)]


@pytest.mark.parametrize(
    "case", ["other survey", "unknown survey", "malformed", "source language", "unknown"]
)
def test_bad_po_files_exit_2_and_leave_the_survey_unchanged(
    case: str, feedback_cli: Any, survey_file: Path, tmp_path: Path
) -> None:
    catalog = _translated(_export(feedback_cli, tmp_path, "fr"), FRENCH)
    po = tmp_path / "bad.po"
    if case == "other survey":
        catalog.project = "test-survey"
        _write(catalog, po)
        args = ["--survey", "regional"]
        expected = "is of survey 'test-survey'"
    elif case == "unknown survey":
        catalog.project = "no-such-survey"
        _write(catalog, po)
        args = []
        expected = "is of survey 'no-such-survey' (Project-Id-Version), which cannot be used"
    elif case == "malformed":
        _write(catalog, po)
        lines = po.read_text(encoding="utf-8").splitlines()
        cut = lines.index('msgctxt "question:age/label"') + 2  # the msgstr line goes
        po.write_text("\n".join(lines[:cut] + lines[cut + 1 :]) + "\n", encoding="utf-8")
        args = []
        expected = f"line {cut}: not a valid PO file: missing msgstr for msgid 'Age'"
    else:  # the translator changes the Language header
        _write(catalog, po)
        language = "en" if case == "source language" else "tlh"
        po.write_text(
            po.read_text(encoding="utf-8").replace('"Language: fr', f'"Language: {language}'),
            encoding="utf-8",
        )
        args = []
        expected = "source language" if case == "source language" else "unknown language"
    before = survey_file.read_bytes()

    result = feedback_cli("survey", "translations", "import", str(po), *args)

    assert result.exit_code == 2, result.output
    assert expected in result.output and str(po) in result.output
    assert survey_file.read_bytes() == before


def test_the_shipped_survey_is_not_written(feedback_cli: Any, tmp_path: Path) -> None:
    from feedback.engine import shipped_surveys_dir

    shipped = shipped_surveys_dir() / "post-seminar.yaml"
    before = shipped.read_bytes()
    out = tmp_path / "fr.po"
    exported = feedback_cli(
        "survey", "translations", "export", "post-seminar", "-l", "fr", "-o", str(out)
    )
    assert exported.exit_code == 0, exported.output
    with out.open("rb") as handle:
        catalog = read_po(handle)
    _write(_translated(catalog, {"survey/title": "Après le séminaire"}), out)
    result = feedback_cli("survey", "translations", "import", str(out))
    assert result.exit_code == 2
    assert "copy it into the project's surveys/ folder" in result.output
    assert shipped.read_bytes() == before


def test_every_text_field_is_found_even_one_a_plugin_adds() -> None:
    class Slider(QuestionBase):
        type: Literal["slider"] = "slider"
        middle_label: Text | None = None

        def check(self, value: Any) -> str | None:
            return None

    model = survey_model((Slider,))
    survey = model.model_validate(
        {
            "id": "s",
            "title": "T",
            "questions": [
                {"id": "s1", "type": "slider", "label": "L", "middle_label": "Halfway"},
                {
                    "id": "t1",
                    "type": "then_now",
                    "label": "X",
                    "scale": {"points": ["a", "b"]},
                    "then_label": "Before",
                    "now_label": "Now",
                },
            ],
        }
    )
    contexts = {e.context: e.source("en") for e in entries(survey)}
    assert contexts["question:s1/middle_label"] == "Halfway"
    assert contexts["question:t1/then_label"] == "Before"
    assert contexts["question:t1/scale/points/a/label"] == "A"  # an id alone, humanised
    assert is_text(Slider.model_fields["middle_label"].annotation)


def test_the_command_is_listed_under_survey_from_its_short_help() -> None:
    from feedback_translations import register_commands

    top = FeedbackGroup("feedback-test")
    register_commands(cli=top)
    assert isinstance(top.subcommands["survey"]["translations"], LazyCommand)
    assert lazy_command_problems(top) == []


def test_feedback_survey_help_lists_translations_without_loading_it(feedback_cli: Any) -> None:
    result = feedback_cli("survey", "--help")
    assert result.exit_code == 0, result.output
    assert "translations  A survey's texts as PO files for translators" in result.output


def test_a_file_that_cannot_be_edited_in_place_is_written_anew_and_says_so(
    feedback_cli: Any, feedback_engine: Any, feedback_project: Path, tmp_path: Path
) -> None:
    # a block scalar to turn into a text per language, and no languages key (English alone)
    path = feedback_project / "surveys" / "regional.yaml"
    path.write_text(
        "id: regional\ntitle: Regional\nquestions:\n  - id: note\n    type: note\n"
        "    label: |\n      Welcome.\n      Two lines.\n",
        encoding="utf-8",
    )
    catalog = _export(feedback_cli, tmp_path, "fr")
    texts = {"survey/title": "Régional", "question:note/label": "Bienvenue.\nDeux lignes.\n"}
    po = _write(_translated(catalog, texts), tmp_path / "fr.po")

    result = feedback_cli("survey", "translations", "import", str(po))

    assert result.exit_code == 0, result.output
    assert "written anew in the stable layout" in result.output
    survey = feedback_engine.read_survey(path)
    assert survey.languages == ["en", "fr"]
    assert survey.text(survey.question("note").label, "fr") == "Bienvenue.\nDeux lignes.\n"
    assert survey.text(survey.question("note").label, "en") == "Welcome.\nTwo lines.\n"
