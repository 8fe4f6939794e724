def test_idea_add_then_list_shows_it(cli):
    cli("idea", "add", "Can two nets be combined? #generalization")
    ideas = cli("idea", "list", "--json").json()
    assert [i["title"] for i in ideas] == ["Can two nets be combined? #generalization"]
    assert ideas[0]["tags"] == ["generalization"]


def test_unknown_idea_is_one_line_and_exit_1(cli):
    result = cli("idea", "show", "99", ok=False)
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines() == ["Error: no idea #99"]
