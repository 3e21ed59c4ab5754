"""The clause splitter's rules, as tables in Malay and English (issue 16), and the seed test:
the seed's statement proposes the 14 areas the seed has, with their categories."""
import pytest

from services.documents.splitter import split_clauses, suggest_category
from services.seeding.facts import DATA_DIR, load_facts, read_source_text

MS = [
    # semicolon list after an opener; a leading 'dan' is not part of the entry
    ("Kedua-dua pihak akan bekerjasama termasuk penyelarasan dasar; pembangunan bakat; dan inovasi digital.",
     ["penyelarasan dasar", "pembangunan bakat", "inovasi digital"]),
    # comma list closed by 'dan'; 'dan' inside an entry stays when there is no comma
    ("MDEC akan bekerjasama dalam bidang transformasi digital, AI dan bandar pintar.",
     ["transformasi digital", "AI", "bandar pintar"]),
    ("Kerjasama ini akan melibatkan projek antara bandar dan perusahaan.", ["projek antara bandar dan perusahaan"]),
    # brackets: the opener and separators inside them do not count
    ("Pihak-pihak akan meneroka kerjasama (termasuk set data; kemudahan) dalam infrastruktur AI.",
     ["Pihak-pihak akan meneroka kerjasama (termasuk set data; kemudahan) dalam infrastruktur AI"]),
    # numbered articles and lettered paragraphs: the marker is the label, not the clause
    ("Perkara 3 Bidang Kerjasama\n(a) pertukaran pakar dan pegawai;\n(b) program latihan bersama; dan",
     ["pertukaran pakar dan pegawai", "program latihan bersama"]),
    # two sentences in one line; headings and short lines are no clauses
    ("SIARAN MEDIA\nKumpulan Kerja Bersama akan ditubuhkan. Mesyuarat pertama diadakan pada bulan Jun.\n#TAMAT#",
     ["Kumpulan Kerja Bersama akan ditubuhkan", "Mesyuarat pertama diadakan pada bulan Jun"]),
]
EN = [
    ("The Parties shall cooperate in the areas of digital trade; cybersecurity; and data governance.",
     ["digital trade", "cybersecurity", "data governance"]),
    ("Cooperation will be carried out through study visits, joint research as well as training of officials.",
     ["study visits", "joint research", "training of officials"]),
    ("Article 2 Scope\n1. The Parties shall explore the possibility of a joint data centre.",
     ["The Parties shall explore the possibility of a joint data centre"]),
    ("ARTICLE IV\n(i) exchange of experts and officials;\n(ii) joint workshops on AI ethics.",
     ["exchange of experts and officials", "joint workshops on AI ethics"]),
]


@pytest.mark.parametrize("text, expected", MS)
def test_malay_rules(text, expected):
    clauses = split_clauses(text, "ms")
    assert [c.text for c in clauses] == expected
    assert all(text[c.start:c.end] == c.text for c in clauses)


@pytest.mark.parametrize("text, expected", EN)
def test_english_rules(text, expected):
    clauses = split_clauses(text, "en")
    assert [c.text for c in clauses] == expected
    assert all(text[c.start:c.end] == c.text for c in clauses)


def test_labels_carry_the_article_and_paragraph():
    clauses = split_clauses("Article 5 Areas\n(a) exchange of experts in AI;\n(b) joint training of officials.", "en")
    assert [c.label for c in clauses] == ["Article 5 (a)", "Article 5 (b)"]


@pytest.mark.parametrize("text, explore", [
    ("meneroka pendekatan untuk menangani risiko keselamatan AI", True),
    ("The Parties will study the possibility of a joint lab", True),
    ("Explore cooperation in semiconductors with both agencies", True),
    ("program pertukaran teknikal antara kedua-dua pihak", False),
])
def test_explore_clauses_are_flagged(text, explore):
    assert split_clauses(text, "ms" if "pihak" in text or "meneroka" in text else "en")[0].explore is explore


@pytest.mark.parametrize("text, category", [
    ("Satu Kumpulan Kerja Bersama akan ditubuhkan", "joint_working_group"),
    ("meningkatkan literasi awam mengenai AI", "public_literacy"),
    ("exchange of AI ethics guidelines", "ethics_safety"),
    ("a joint data centre and datasets", "ai_datasets_infrastructure"),
    ("scholarships for young engineers", "talent_programme"),
    ("berdasarkan Model Zhejiang", "other"),  # 'dasar' only as a whole word
    ("smart cities and enterprises", "city_enterprise_projects"),
])
def test_category_suggestion(text, category):
    assert suggest_category(text) == category


def test_the_seed_statement_proposes_the_14_seeded_areas():
    facts = load_facts()
    text = read_source_text(facts["source_document"]["file"])
    clauses = {c.text: c for c in split_clauses(text, facts["source_document"]["language"])}
    seeded = [area for agreement in facts["agreements"] for area in agreement["areas"]]
    assert len(seeded) == 14
    for area in seeded:
        assert area["quote"] in clauses, area["quote"]
        clause = clauses[area["quote"]]
        assert text[clause.start:clause.end] == area["quote"]
        assert clause.category == area["category"], area["quote"]
    assert DATA_DIR.exists()
