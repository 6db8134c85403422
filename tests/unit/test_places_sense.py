"""The fourteenth round of issue 14 (docs/places.md): a governorate's other mentions in the
article, and رئيس "president" is no town. Texts are SaudiNewsNet sentences (CC BY-NC-SA 4.0,
tests/resources/README.md)."""
from test_places_grading import run


HABUNA = ("يربط محافظة حبونا بمحافظة بدر الجنوب في ظل غياب الرقابة على المشاريع. وأوضح المواطن "
          "محمد القشانين من سكان حبونا ويعمل بمحافظة بدر الجنوب أن التصدعات تشكل خطرا")


def test_a_governorate_is_that_place_in_its_other_mentions():
    # حبونا (Habuna, Najran) is too small for the safe test alone; after محافظة it is taken, and
    # so is its bare mention later in the article
    found = [(t, a) for t, a in run(HABUNA, locs=()) if t == "حبونا"]
    assert len(found) == 2
    assert all(a["country"] == "SA" and abs(a["lat"] - 17.85) < 0.1 for _, a in found)


def test_without_the_governorate_head_a_small_town_is_not_taken():
    found = [t for t, _ in run("وأوضح المواطن محمد القشانين من سكان حبونا أن التصدعات تشكل خطرا",
                               locs=())]
    assert "حبونا" not in found


def test_the_other_mentions_follow_only_the_governorate_head():
    # a name after another head (منفذ، حي) does not make its bare mentions places
    text = "نفذت الصواريخ إلى منفذ الطوال. وتستقطب الحديقة زوار شرق الرياض طوال أيام العيد"
    found = [t for t, _ in run(text, locs=("الرياض",))]
    assert "طوال" not in found


def test_president_is_no_town():
    # GeoNames lists الرئيس as a name of Ar Ruways, Qatar; after دولة/ولاية it is a title or a term
    for text, locs in (("غادر جدة أول من أمس دولة رئيس وزراء باكستان السيد محمد نواز شريف",
                        ("جدة", "باكستان")),
                       ("لا يوجد أي اتفاق على تمديد ولاية رئيس إقليم كردستان مسعود البارزاني",
                        ("كردستان",))):
        found = dict(run(text, locs=locs))
        assert "رئيس" not in found
        assert all(a["country"] != "QA" for a in found.values())
