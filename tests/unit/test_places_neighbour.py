"""The fifteenth round of issue 14 (docs/places.md): a stop name that is a town (الخبر "the
news", Khobar) after في or ب is taken when the article places its region or a town near it.
Texts are SaudiNewsNet sentences (CC BY-NC-SA 4.0, tests/resources/README.md)."""
from test_places_grading import run

REGION = ("وأبدى عدد من المتطوعات سعادتهم وحرصهم على المشاركة في فعاليات عيد وصيف الشرقية وذلك في "
          "قرية الطفل والمسرح في الواجهة البحرية في الخبر، من خلال تنظيم دخول وخروج المشاركين")
TOWN = ("أعلنت جامعة الدمام عن طرح 59 وظيفة صحية شاغرة، وذلك في مستشفى الملك فهد الجامعي بالخبر "
        "التابع لجامعة الدمام")


def _khobar(found):
    return [a for t, a in found if t == "الخبر"]


def test_after_fi_in_an_article_naming_its_region():
    found = _khobar(run(REGION))
    assert len(found) == 1 and found[0]["country"] == "SA" and abs(found[0]["lat"] - 26.28) < 0.1


def test_after_glued_ba_in_an_article_naming_a_town_near_it():
    found = _khobar(run(TOWN))
    assert len(found) == 1 and abs(found[0]["lon"] - 50.21) < 0.1


def test_the_common_word_without_a_neighbour_stays_a_word():
    assert not _khobar(run("وقالت ابنته عندما علمت بالخبر إن أباها كان يقول ذلك"))


def test_the_indefinite_word_stays_a_word():
    text = "أعلنت جامعة الدمام عن طرح وظائف. واهتمت الصحيفة بخبر لجوء اللاعب إلى الدمام"
    assert not [t for t, _ in run(text) if t in ("خبر", "الخبر")]


def test_a_region_far_away_does_not_vouch():
    # المدينة "the city" in an article about Abha (Asir): Medina's region is not named
    text = "تجاوز الإبداع الفني لدى فناني مدينة أبها حدود معارضهم، وتظهر الهوية الخاصة بالمدينة في منطقة عسير"
    assert "المدينة" not in [t for t, _ in run(text)]
