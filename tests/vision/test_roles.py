"""Roles come from the cards' relative geometry, not from fixed screen positions."""

from types import SimpleNamespace

from engine.vision.roles import assign_roles

CW, CH = 70, 100


def _card(name, x, y, k=0, w=CW, h=CH):
    return SimpleNamespace(card=name, box=(x, y, w, h), confidence=0.9, orientation=k)


def _row(names, x0, y, step=80):
    return [_card(n, x0 + i * step, y) for i, n in enumerate(names)]


def test_flop_with_hero_below_is_poker():
    cards = [*_row(["Ah", "Kd", "7c"], 500, 300), _card("Qs", 560, 520), _card("Js", 600, 525)]
    game, roles = assign_roles(cards, (720, 1280))
    assert game == "poker"
    assert roles == {"hero": ["Qs", "Js"], "board": ["Ah", "Kd", "7c"], "others": []}


def test_hero_seat_at_the_top_is_still_the_hero():
    cards = [_card("7c", 600, 60), _card("6c", 640, 60), *_row(["3h", "3d", "8h"], 520, 300)]
    game, roles = assign_roles(cards, (650, 950))
    assert game == "poker"
    assert roles["hero"] == ["7c", "6c"] and roles["board"] == ["3h", "3d", "8h"]


def test_river_with_a_shown_hand_puts_it_in_others():
    board = _row(["2c", "3c", "4c", "5d", "9h"], 400, 300)
    hero = [_card("Ah", 560, 560), _card("Ad", 600, 560)]
    shown = [_card("Kh", 100, 300), _card("Kc", 140, 300)]
    game, roles = assign_roles(board + hero + shown, (720, 1280))
    assert game == "poker"
    assert roles["board"] == ["2c", "3c", "4c", "5d", "9h"]
    assert sorted(roles["hero"] + roles["others"]) == ["Ad", "Ah", "Kc", "Kh"]


def test_preflop_pair_alone_is_the_hero():
    game, roles = assign_roles([_card("As", 600, 500), _card("Kd", 640, 505)], (720, 1280))
    assert game == "poker" and roles["hero"] == ["As", "Kd"] and roles["board"] == []


def test_dealer_above_player_is_blackjack():
    dealer = [_card("Td", 600, 120)]
    player = _row(["9s", "2h", "5c"], 520, 520)
    game, roles = assign_roles(dealer + player, (720, 1280))
    assert game == "blackjack"
    assert roles == {"dealer": ["Td"], "player": ["9s", "2h", "5c"], "others": []}


def test_three_over_two_near_the_top_edge_is_a_dealer_hand():
    dealer = _row(["Td", "6h", "5s"], 520, 120)
    player = _row(["9s", "2h"], 560, 520)
    game, roles = assign_roles(dealer + player, (720, 1280))
    assert game == "blackjack" and roles["dealer"] == ["Td", "6h", "5s"]


def test_forced_game_overrides_detection():
    cards = [_card("Td", 600, 120), _card("9s", 560, 520), _card("2h", 640, 520)]
    game, roles = assign_roles(cards, (720, 1280), game="poker")
    assert game == "poker" and roles["hero"] == ["9s", "2h"]


def test_a_table_turned_90_degrees_keeps_its_roles():
    # the blackjack layout above, turned a quarter clockwise: cards read with k=3
    h_img = 720
    dealer = [_card("Td", h_img - 120 - CH, 600, k=3, w=CH, h=CW)]
    player = [
        _card(n, h_img - 520 - CH, 520 + 80 * i, k=3, w=CH, h=CW)
        for i, n in enumerate(["9s", "2h", "5c"])
    ]
    game, roles = assign_roles(dealer + player, (1280, 720))
    assert game == "blackjack"
    assert roles["dealer"] == ["Td"] and sorted(roles["player"]) == ["2h", "5c", "9s"]


def test_no_cards_no_roles():
    assert assign_roles([], (720, 1280)) == (None, {})


def test_a_lone_card_is_a_hero_hole_card():
    # a blackjack deal shows at least three cards; one card alone is a hole card whose
    # partner is covered or unread
    game, roles = assign_roles([_card("9s", 600, 500)], (720, 1280))
    assert game == "poker" and roles["hero"] == ["9s"] and roles["board"] == []


def test_a_row_of_six_keeps_its_five_surest_cards_as_the_board():
    row = _row(["2c", "3c", "4c", "5d", "9h", "Qs"], 300, 300)
    row[2] = SimpleNamespace(card="4c", box=row[2].box, confidence=0.3, orientation=0)
    hero = [_card("Ah", 460, 560), _card("Ad", 500, 560)]
    game, roles = assign_roles(row + hero, (720, 1280))
    assert game == "poker"
    assert roles["board"] == ["2c", "3c", "5d", "9h", "Qs"]
    assert roles["hero"] == ["Ah", "Ad"] and roles["others"] == ["4c"]


def test_dealer_card_over_one_player_card_is_blackjack():
    # a two-card player hand with one card unread: the layout still says blackjack
    game, roles = assign_roles([_card("Td", 600, 110), _card("9s", 560, 500)], (720, 1280))
    assert game == "blackjack"
    assert roles == {"dealer": ["Td"], "player": ["9s"], "others": []}


def test_flop_with_a_card_unread_keeps_its_board_and_hero():
    board = [_card("Ah", 520, 250), _card("7c", 680, 250)]  # the middle card unread
    hero = [_card("Qs", 560, 470), _card("Js", 600, 475)]
    game, roles = assign_roles(board + hero, (720, 1280))
    assert game == "poker"
    assert roles == {"hero": ["Qs", "Js"], "board": ["Ah", "7c"], "others": []}


def test_hero_at_the_top_over_part_of_a_board():
    hero = [_card("7c", 600, 40), _card("6c", 640, 40)]
    board = [_card("3h", 520, 280), _card("8h", 680, 280)]
    game, roles = assign_roles(hero + board, (720, 1280))
    assert game == "poker"
    assert roles["hero"] == ["7c", "6c"] and roles["board"] == ["3h", "8h"]


def test_a_lone_row_mid_table_is_a_board():
    game, roles = assign_roles(_row(["Ah", "Kd", "7c"], 500, 260), (720, 1280))
    assert game == "poker" and roles["board"] == ["Ah", "Kd", "7c"] and roles["hero"] == []


def test_a_lone_row_low_on_the_table_is_the_players_hand():
    game, roles = assign_roles(_row(["9s", "2h", "5c"], 520, 500), (720, 1280))
    assert game == "blackjack"
    assert roles == {"dealer": [], "player": ["9s", "2h", "5c"], "others": []}


def test_a_cascaded_hand_is_blackjack_and_stays_one_hand():
    dealer = [_card("Td", 600, 100)]
    # a cascade stepping up to the right, its second card unread: two pieces, one hand
    player = [_card("9s", 420, 515), _card("2h", 560, 450), _card("5c", 590, 430)]
    game, roles = assign_roles(dealer + player, (720, 1280))
    assert game == "blackjack"
    assert roles["dealer"] == ["Td"] and roles["player"] == ["9s", "2h", "5c"]


def test_a_cascade_mid_table_is_blackjack():
    player = [_card(n, 500 + 30 * i, 330 - 20 * i) for i, n in enumerate(["9s", "2h", "5c"])]
    game, roles = assign_roles([_card("Td", 600, 60), *player], (720, 1280))
    assert game == "blackjack" and sorted(roles["player"]) == ["2h", "5c", "9s"]


def test_a_card_of_an_odd_size_is_others():
    cards = [*_row(["Ah", "Kd", "7c"], 500, 300), _card("Qs", 560, 520), _card("Js", 600, 525)]
    cards.append(_card("4c", 100, 0, w=500, h=700))  # a misread blown up from a logo
    game, roles = assign_roles(cards, (720, 1280))
    assert game == "poker"
    assert roles == {"hero": ["Qs", "Js"], "board": ["Ah", "Kd", "7c"], "others": ["4c"]}


def test_an_oversized_box_is_shrunk_towards_its_index_corner():
    # big cards whose boxes were estimated too tall: their centres fall below the top
    # third, their index corners (top-left) do not
    dealer = [_card("Td", 500, 60, w=280, h=400)]
    player = [_card("9s", 400, 400, w=280, h=400), _card("2h", 700, 400, w=280, h=400)]
    game, roles = assign_roles(dealer + player, (720, 1280))
    assert game == "blackjack" and roles["dealer"] == ["Td"]


def test_a_board_split_by_two_unread_cards_stays_one_board():
    board = [_card("2c", 400, 250), _card("9h", 640, 250)]  # the three between unread
    hero = [_card("Ah", 520, 470), _card("Ad", 560, 470)]
    game, roles = assign_roles(board + hero, (720, 1280))
    assert game == "poker"
    assert roles == {"hero": ["Ah", "Ad"], "board": ["2c", "9h"], "others": []}


def test_a_poker_table_turned_90_degrees_keeps_board_and_hero():
    # the flop layout, turned a quarter counter-clockwise: (x, y) -> (y, 1280 - x)
    def turned(name, x, y):
        return _card(name, y, 1280 - x - CW, k=1, w=CH, h=CW)

    board = [turned(n, 500 + 80 * i, 300) for i, n in enumerate(["Ah", "Kd", "7c"])]
    hero = [turned("Qs", 560, 520), turned("Js", 600, 525)]
    game, roles = assign_roles(board + hero, (1280, 720))
    assert game == "poker"
    assert sorted(roles["board"]) == ["7c", "Ah", "Kd"] and sorted(roles["hero"]) == ["Js", "Qs"]


def test_a_lone_card_in_the_top_third_is_the_dealers():
    game, roles = assign_roles([_card("Ah", 600, 90)], (720, 1280))
    assert game == "blackjack" and roles["dealer"] == ["Ah"] and roles["player"] == []


def test_a_dealer_hand_in_two_pieces_is_one_hand():
    dealer = [_card("As", 560, 90), _card("Ts", 680, 145)]  # an unread card between them
    player = _row(["7s", "4s"], 540, 500)
    game, roles = assign_roles(dealer + player, (720, 1280))
    assert game == "blackjack"
    assert roles == {"dealer": ["As", "Ts"], "player": ["7s", "4s"], "others": []}


def test_a_player_card_just_above_the_hand_keeps_it_blackjack():
    dealer = [_card("Ad", 600, 100)]
    # a card lying across, its centre a little above the middle of the low part
    player = [_card("Ah", 500, 440), _card("Jd", 660, 440), _card("2s", 580, 385, k=1, w=CH, h=CW)]
    game, roles = assign_roles(dealer + player, (720, 1280))
    assert game == "blackjack"
    assert roles["dealer"] == ["Ad"] and sorted(roles["player"]) == ["2s", "Ah", "Jd"]


def test_a_hand_between_top_and_bottom_is_poker():
    # hole cards at the top, a board mid-table, a shown hand low: nothing says blackjack
    top = [_card("7c", 600, 40), _card("6c", 640, 40)]
    board = _row(["3h", "3d", "8h"], 520, 260)
    low = [_card("Kh", 560, 560), _card("Kc", 600, 560)]
    game, roles = assign_roles(top + board + low, (720, 1280))
    assert game == "poker" and roles["board"] == ["3h", "3d", "8h"]


def test_cards_read_across_in_an_upright_deal_do_not_turn_the_table():
    dealer = [_card("Td", 560, 110, k=1, w=CH, h=CW), _card("4h", 660, 110)]
    player = [_card("9s", 560, 480, k=3, w=CH, h=CW)]
    game, roles = assign_roles(dealer + player, (720, 1280))
    assert game == "blackjack"
    assert sorted(roles["dealer"]) == ["4h", "Td"] and roles["player"] == ["9s"]


def test_a_second_reading_on_the_same_spot_is_others():
    # a fan of hole cards alone, one index also misread as another card on the very spot
    hole = [_card("2d", 560, 440), _card("Jh", 600, 450)]
    echo = SimpleNamespace(card="Td", box=(561, 441, CW, CH), confidence=0.5, orientation=0)
    game, roles = assign_roles([*hole, echo], (720, 1280))
    assert game == "poker"
    assert roles == {"hero": ["2d", "Jh"], "board": [], "others": ["Td"]}


def test_a_turned_blackjack_table_keeps_the_dealer_nearer_its_edge():
    # dealer centred at 0.2 of the height, player at 0.7; turned a quarter clockwise:
    # (x, y) -> (720 - y, x); both frames read as blackjack, the dealer's edge decides
    def turned(name, x, y):
        return _card(name, 720 - y - CH, x, k=1, w=CH, h=CW)

    dealer = [turned("Td", 560, 94), turned("6h", 640, 94)]
    player = [turned("9s", 560, 454), turned("2h", 640, 454)]
    game, roles = assign_roles(dealer + player, (1280, 720))
    assert game == "blackjack"
    assert sorted(roles["dealer"]) == ["6h", "Td"] and sorted(roles["player"]) == ["2h", "9s"]
