import pytest

from engine.cards import (
    DECK,
    CardError,
    card_to_int,
    cards_to_ints,
    format_cards,
    int_to_card,
    parse_blackjack_hand,
    parse_card,
    parse_cards,
)


@pytest.mark.parametrize(
    "text",
    ["Ah Kd", "ah,kd", "AhKd", "  AH , KD ", "ah;kd", ["Ah", "kd"]],
)
def test_the_notations_of_design_md_parse_to_canonical_cards(text):
    assert parse_cards(text) == ["Ah", "Kd"]


def test_ten_is_written_t_or_10():
    assert parse_cards("10h Td 10c") == ["Th", "Td", "Tc"]
    assert parse_cards("10h10d") == ["Th", "Td"]


def test_empty_text_is_no_cards():
    assert parse_cards("") == []
    assert parse_cards(" , ") == []


@pytest.mark.parametrize(
    ("text", "token"),
    [("Ax", "'Ax'"), ("1h", "'1h'"), ("Zs", "'Zs'"), ("Ah K", "'K'"), ("Ah Kd Q", "'Q'")],
)
def test_a_bad_card_names_the_token_and_what_was_expected(text, token):
    with pytest.raises(CardError) as err:
        parse_cards(text)
    assert token in str(err.value)
    assert "expected" in str(err.value)


def test_card_error_is_a_value_error():
    with pytest.raises(ValueError):
        parse_card("??")


def test_duplicates_are_rejected_unless_allowed():
    with pytest.raises(CardError, match="duplicate card 'Ah'"):
        parse_cards("Ah Kd ah")
    assert parse_cards("Ah Ah", allow_duplicates=True) == ["Ah", "Ah"]


def test_indices_round_trip_over_the_whole_deck():
    assert len(DECK) == len(set(DECK)) == 52
    assert [int_to_card(card_to_int(c)) for c in DECK] == list(DECK)
    assert card_to_int("2s") == 0 and card_to_int("Ac") == 51
    assert cards_to_ints("as 10h") == [48, 33]
    assert format_cards([48, "th"]) == "As Th"


def test_int_to_card_rejects_out_of_range():
    with pytest.raises(CardError, match="out of range"):
        int_to_card(52)


@pytest.mark.parametrize(
    ("text", "values"),
    [
        ("T6", [10, 6]),
        ("A,7", [1, 7]),
        ("10 6", [10, 6]),
        ("KQ", [10, 10]),
        ("Ah7d", [1, 7]),
        ("a a", [1, 1]),
        ("2345", [2, 3, 4, 5]),
    ],
)
def test_blackjack_hands_may_omit_suits(text, values):
    assert parse_blackjack_hand(text) == values


def test_blackjack_hand_rejects_non_ranks():
    with pytest.raises(CardError, match="'X'"):
        parse_blackjack_hand("TX")
