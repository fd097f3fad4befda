"""core.morphology: every form of a Russian word or name meets its lemma."""

import pytest

from core.morphology import analyzer, is_function_word, lemma_text, lemmas, words


def test_one_analyser_per_process():
    assert analyzer() is analyzer()


@pytest.mark.parametrize(
    ("name", "forms"),
    [
        ("Шанхай", ["Шанхая", "Шанхаю", "Шанхаем", "Шанхае"]),
        ("Ханой", ["Ханоя", "Ханою", "Ханоем", "Ханое"]),
        ("Алма-Ата", ["Алма-Аты", "Алма-Ате", "Алма-Атой"]),
        ("Астана", ["Астаны", "Астане", "Астаной"]),
        ("Хошимин", ["Хошимина", "Хошимину", "Хошимином", "Хошимине"]),
        ("визит", ["визита", "визитом", "ВИЗИТАМИ"]),
    ],
)
def test_every_form_shares_a_lemma_with_the_name(name, forms):
    for form in forms:
        assert lemmas(form) & lemmas(name), form


def test_lemmas_are_folded_and_keep_the_word_and_every_hypothesis():
    assert lemmas("Шанхая") == {"шанхая", "шанхаи"}  # й folded to и, as core.text.fold does everywhere
    assert {"сычуани", "сычуань"} <= lemmas("Сычуани")  # a guess among others: the word itself stays
    assert lemmas("Чэнду") == {"чэнду", "чэнд"}
    assert lemmas("Hồ") == {"ho"}  # other scripts are only folded


def test_function_words():
    assert is_function_word("в") and is_function_word("И") and is_function_word("же")
    assert not is_function_word("Шанхай") and not is_function_word("the")


def test_words_keep_hyphenated_names_together():
    assert words("в г. Алма-Ате, 2024!") == ["в", "г", "Алма-Ате", "2024"]


def test_lemma_text_for_a_simple_tsvector():
    assert lemma_text("Визитом в Шанхай") == "визит визитом в шанхаи"
