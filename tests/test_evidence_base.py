"""The shipped evidence base, end to end: real figures through the validator and the SQL layer."""

import csv
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from queries import EvidenceBase
from queries.validate import check

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
# Line numbers (header = 1) of every row of the research file this project started from.
SEED_LINES = range(2, 24)
UNVERIFIED_PREFIX = "[UNVERIFIED THIRD-PARTY COMPILATION]"


@pytest.fixture(scope="module")
def base(tmp_path_factory) -> EvidenceBase:
    return EvidenceBase(DATA_DIR, cache_dir=tmp_path_factory.mktemp("duckdb"))


def read_csv(name: str) -> list[dict[str, str]]:
    with open(DATA_DIR / name, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def values_with(df, **where):
    for column, value in where.items():
        df = df[df[column] == value]
    return df


def test_shipped_data_passes_validation():
    assert check(DATA_DIR) == []
    result = subprocess.run([sys.executable, "-m", "queries.validate"], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("data OK:")


def test_registered_ngos_in_2023_include_the_ministry_figure(base):
    series = base.run("indicator_series", indicators=["ngos_registered"], regions=["KZ"], year_from=2023, year_to=2023)
    gov = values_with(series, source_id="govkz_akk_ngos")
    assert gov["value"].tolist() == [23335]
    assert gov["tier"].tolist() == ["government"]
    assert gov["url"].str.startswith("https://www.gov.kz/").all()
    # The same number from ICNL and from the unverified compilation is kept as separate rows, and the
    # government's row is the one a chart draws.
    assert set(series["source_id"]) == {"govkz_akk_ngos", "icnl_civic_freedom_monitor", "forvide_kazmaptest_compilation"}
    assert series[series["is_preferred"]]["source_id"].tolist() == ["govkz_akk_ngos"]


def test_operating_ngos_in_2025_include_more_than_18000(base):
    series = base.run("indicator_series", indicators=["ngos_operating"], regions=["KZ"], year_from=2025, year_to=2025)
    astana_times = values_with(series, source_id="astanatimes_2025_tokayev_forum")
    assert astana_times[["value", "qualifier"]].values.tolist() == [[18000, "more than"]]
    # Silk Way TV printed the same number without a qualifier; both are kept.
    assert values_with(series, source_id="silkwaytv_2025_xii_forum")["qualifier"].tolist() == ["exact"]


def test_public_councils_in_2020_include_234(base):
    points = base.run("point_values", indicator="public_councils", region="KZ", year=2020)
    assert set(points["value"]) == {234}
    assert points["n_distinct_values"].iloc[0] == 1
    # The unverified compilation's 217 counts only councils 'at akimats and state bodies': its own indicator.
    compilation = base.run("point_values", indicator="public_councils_akimats_state_bodies", region="KZ", year=2020)
    assert compilation[["value", "tier"]].values.tolist() == [[217, "unverified_compilation"]]


def test_ninth_civil_forum_had_nearly_500_delegates(base):
    editions = base.run("forum_editions").set_index("event_id")
    ninth = editions.loc["cf_09"]
    assert (ninth["edition"], ninth["year"], ninth["delegates"], ninth["delegates_qualifier"]) == ("IX", 2020, 500, "nearly")
    assert (ninth["start_date"].date().isoformat(), ninth["end_date"].date().isoformat()) == ("2020-11-23", "2020-11-27")


def test_the_twelfth_forums_delegates_are_cited_to_the_state_newspaper_which_outranks_a_later_independent_report(base):
    # Both report "more than 700"; the state-media tier comes before the date in the preference rule.
    twelfth = base.run("forum_editions").set_index("event_id").loc["cf_12"]
    assert (twelfth["delegates"], twelfth["delegates_qualifier"]) == (700, "more than")
    assert (twelfth["delegates_source_id"], twelfth["delegates_n_values"]) == ("kazpravda_2025_effective_partnership", 2)


def test_eu_funding_of_about_5_million_euros_for_13_organisations_in_2025(base):
    amount = base.run("point_values", indicator="eu_funding_amount", region="KZ", year=2025)
    assert amount[["value", "unit", "qualifier", "source_id"]].values.tolist() == [
        [5_000_000, "EUR", "about", "silkwaytv_2025_xii_forum"]
    ]
    orgs = base.run("point_values", indicator="eu_funded_orgs", region="KZ", year=2025)
    assert orgs[["value", "qualifier", "source_id"]].values.tolist() == [[13, "exact", "silkwaytv_2025_xii_forum"]]
    source = base.run("sources_by_id", source_ids=["silkwaytv_2025_xii_forum"]).iloc[0]
    assert source["publisher"] == "Silk Way TV" and source["url"].startswith("https://silkwaytv.kz/")


def test_every_seed_fact_is_in_the_data():
    refs = set()
    for name in ("facts.csv", "statements.csv", "events.csv"):
        for row in read_csv(name):
            refs.update(row["ref"].split(";"))
    missing = [line for line in SEED_LINES if f"seed_facts.csv:{line}" not in refs]
    assert missing == []


def test_words_are_never_turned_into_numbers(base):
    statements = base.run("statements")
    doubled = values_with(statements, indicator_id="state_social_order_growth_5y")
    assert set(doubled["statement"]) == {"almost doubled"}
    assert "seed_facts.csv:19" in ";".join(doubled["ref"])
    catalogue = base.run("indicator_catalogue").set_index("indicator_id")
    assert catalogue.loc["state_social_order_growth_5y", "unit"] == "text"


def test_unverified_compilation_is_labelled_as_such(base):
    sources = base.run("sources")
    unverified = sources[sources["tier"] == "unverified_compilation"]
    assert len(unverified) == 1
    assert unverified["title"].str.startswith(UNVERIFIED_PREFIX).all()
    regional = base.run("latest_by_region", indicator="ngos_registered", year_to=2025)
    assert len(regional) == 20
    by_region = regional.set_index("region")
    # Only the compilation covers most regions; where a named source exists it wins (Pavlodar, 2025).
    assert (regional["tier"] == "unverified_compilation").sum() == 19
    assert by_region.loc["KZ-55", "source_id"] == "zakon_2025_pavlodar_ngos"
    assert by_region.loc["KZ-55", "n_values"] == 2


def test_undated_facts_stay_off_the_time_axis(base):
    all_registered = base.run("all_facts", indicator="ngos_registered")
    undated = all_registered[all_registered["period"].isna()]
    assert 5000 in undated["value"].tolist()  # the start of 'just under two decades', year unknown
    series = base.run("indicator_series", indicators=["ngos_registered"])
    assert series["year"].notna().all()
    assert len(series) == all_registered["period"].str.fullmatch(r"\d{4}").sum()


def test_different_definitions_are_different_indicators(base):
    ministry = base.run("point_values", indicator="ngos_operating", region="KZ", year=2024)
    bureau = base.run("point_values", indicator="ngos_operating_bns", region="KZ", year=2024)
    assert 28100 in bureau["value"].tolist()
    assert 28100 not in ministry["value"].tolist()


def test_new_regions_carry_their_origin_and_aliases_map_legacy_names(base):
    regions = base.run("regions").set_index("iso_code")
    assert regions.loc["KZ-10", "split_from"] == "KZ-63" and regions.loc["KZ-10", "created_year"] == 2022
    assert regions.loc["KZ-33", "split_from"] == "KZ-19"
    assert regions.loc["KZ-62", "split_from"] == "KZ-35"
    assert len(regions[regions["type"].isin(["oblast", "city"])]) == 20
    aliases = base.run("region_aliases")
    lookup = {alias.casefold(): code for alias, code in zip(aliases["alias"], aliases["iso_code"])}
    assert lookup["nur-sultan"] == "KZ-71"
    assert lookup["jetisu region"] == "KZ-33"
    assert lookup["г.алматы"] == "KZ-75"
    assert lookup["юко"] == "KZ-61"
    assert lookup["алматинская область"] == "KZ-19"


def test_kpi_latest_gives_latest_value_and_change(base):
    kpi = base.run("kpi_latest", indicators=["ngos_registered", "public_councils"]).set_index("indicator_id")
    assert kpi.loc["public_councils", "year"] == 2025
    assert kpi.loc["ngos_registered", "year"] == 2025
    # 2022-2024 were the compilation's narrower count only, now an indicator of its own.
    assert kpi.loc["public_councils", "previous_year"] == 2021


def test_editing_a_data_file_changes_the_result_without_a_restart(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    base = EvidenceBase(data, cache_dir=tmp_path / "cache")
    before = base.run("point_values", indicator="public_councils", region="KZ", year=2020)
    assert 240 not in before["value"].tolist()

    facts = data / "facts.csv"
    text = facts.read_text(encoding="utf-8")
    row = "public_councils,KZ,2020,240,,councils,exact,kazinform_2020_public_councils,,test edit,test:1\n"
    facts.write_text(text + row, encoding="utf-8")

    after = base.run("point_values", indicator="public_councils", region="KZ", year=2020)
    assert 240 in after["value"].tolist()
    assert len(after) == len(before) + 1


# --- issue 19: facts that were wrong or said more than their source ------------------------------


def facts_where(**where) -> list[dict[str, str]]:
    return [row for row in read_csv("facts.csv") if all(row[column] == value for column, value in where.items())]


def test_the_sixty_percent_of_revenues_is_the_amanat_secretarys_not_the_presidents():
    # The Astana Times (2025-10-16) quotes Yelnur Beisenbayev, executive secretary of the Amanat party.
    indicator = next(row for row in read_csv("indicators.csv") if row["indicator_id"] == "social_revenue_share")
    for column, speaker in (("definition", "Amanat"), ("definition_ru", "«Аманат»"), ("definition_kk", "«Аманат»")):
        assert speaker in indicator[column]
        assert "President" not in indicator[column] and "Президент" not in indicator[column]
    [fact] = facts_where(indicator_id="social_revenue_share")
    assert "Beisenbayev" in fact["note"] and "President" not in fact["note"]


def test_the_growth_factor_note_says_only_what_kazinform_says():
    # Kazinform says 'since then [1996] ... risen 14fold to over 22 thousand', with no starting number.
    [fact] = facts_where(indicator_id="ngos_growth_factor", source_id="kazinform_2021_abayev_ngos")
    assert "1996" in fact["note"] and "1,600" not in fact["note"] and "1600" not in fact["note"]


def test_the_compilations_repeated_staff_figure_carries_its_doubt():
    [fact] = facts_where(indicator_id="ngo_staff_bns", period="2024")
    assert fact["value"] == "42328" and "copying error" in fact["note"]


def test_ambiguous_place_names_are_treated_alike():
    # 'from Almaty' and 'from Pavlodar' in one Kazinform sentence: both kept, both say the city or region is unstated.
    applications = {row["region"]: row for row in facts_where(indicator_id="tripartite_applications", period="2018")}
    assert {region: row["value"] for region, row in applications.items()} == {"KZ-39": "27", "KZ-55": "34", "KZ-75": "47"}
    for region in ("KZ-55", "KZ-75"):
        assert "not stated" in applications[region]["note"]
    [almaty_share] = facts_where(indicator_id="ngo_share_of_national", region="KZ-19")
    assert "Almaty city (KZ-75)" in almaty_share["note"]


@pytest.mark.parametrize(
    "source_id, tier",
    [
        ("inkaraganda_reliable_partner", "state_media"),  # the regional state paper Industrialnaya Karaganda
        ("zhaikpress_2021_wko_civil_sector", "state_media"),  # founded by the West Kazakhstan akimat
        ("irin_2004_new_civil_society_group", "state_media"),  # a UN news service relaying an NGO leader
        ("sputnik_2023_usaid_kazaid", "state_media"),  # foreign state media, tagged by who owns them
        ("zubr_2024_eu_project", "other_web"),  # a private consultancy's page, not an NGO
    ],
)
def test_named_sources_carry_the_tier_of_what_they_are(source_id, tier):
    [source] = [row for row in read_csv("sources.csv") if row["source_id"] == source_id]
    assert source["tier"] == tier


def test_the_fifth_civil_forum_stated_by_the_mfa_piece_is_an_edition(base):
    editions = base.run("forum_editions").set_index("event_id")
    fifth = editions.loc["cf_05"]
    assert (fifth["edition"], fifth["year"], fifth["city"]) == ("V", 2011, "Astana")
    [event] = [row for row in read_csv("events.csv") if row["event_id"] == "cf_05"]
    assert event["source_ids"] == "kazworld_mfa_partnership"


def test_one_unesco_page_is_one_source():
    urls = [row["url"] for row in read_csv("sources.csv")]
    assert not any("agroweb.unesco.kz" in url for url in urls)
    [fact] = facts_where(indicator_id="forum_participants", event_id="almaty_city_11")
    assert fact["source_id"] == "unesco_2018_almaty_forum" and fact["ref"] == "seed_facts.csv:21;ngo_facts.csv:14"


# --- issue 19: one key, one thing --------------------------------------------------------------


@pytest.mark.parametrize(
    "indicator, region, period, value",
    [
        ("eu_regional_cso_funding", "M49-143", "2025", "4500000"),  # EU Civil Society Facility for Central Asia
        ("eu_regional_project_amount", "M49-143", "2025", "40500000"),  # a regional project of unstated purpose
        ("eu_project_amount", "KZ", "", "267300"),  # rural civil-society project
        ("eu_project_amount_other", "KZ", "", "12000000"),  # justice programme
        ("state_grants_in_progress", "KZ", "2019", "55"),  # running since April 2019
        ("state_grants_starting", "KZ", "2019", "54"),  # to start from June 2019
        ("state_social_order_special_services__burlin_district", "KZ-27", "2025", "115000000"),
        ("state_social_order_special_services__uralsk_city", "KZ-27", "2025", "480000000"),
        ("public_associations_first_years", "KZ-43", "", "15"),
        ("public_associations", "KZ-43", "", "994"),
        ("public_councils_akimats_state_bodies", "KZ", "2021", "217"),
        ("public_councils", "KZ", "2021", "249"),
        ("ngo_prize_applications", "KZ", "2017", "224"),  # received at the close of intake
        ("ngo_prize_applications_considered", "KZ", "2017", "216"),  # considered by the expert group
    ],
)
def test_different_things_are_different_indicators(indicator, region, period, value):
    facts = facts_where(indicator_id=indicator, region=region, period=period)
    assert {fact["value"] for fact in facts} == {value}


def test_every_regional_public_council_count_is_the_compilations_own_definition():
    regional = [fact for fact in read_csv("facts.csv") if fact["indicator_id"] == "public_councils" and fact["region"] != "KZ"]
    assert regional == []
    compilation = facts_where(indicator_id="public_councils_akimats_state_bodies")
    assert {fact["source_id"] for fact in compilation} == {"forvide_kazmaptest_compilation"}
    assert len({fact["region"] for fact in compilation}) == 21  # the country and its 20 regions


def documented_points() -> set[tuple[str, str, str]]:
    """(indicator, region, period or 'undated') of each row of the table in data/README.md."""
    text = (DATA_DIR / "README.md").read_text(encoding="utf-8")
    section = text.split("#### Points with several values", 1)[1].split("\n#", 1)[0]
    points = set()
    for line in section.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) == 5 and cells[0].startswith("`"):
            points.add((cells[0].strip("`"), cells[1].strip("`"), cells[2]))
    return points


def test_every_point_with_several_values_is_explained_in_the_data_readme(base):
    conflicts = base.run("conflicts")
    found = {(indicator, region, period if isinstance(period, str) else "undated")
             for indicator, region, period in zip(conflicts["indicator_id"], conflicts["region"], conflicts["period"])}
    documented = documented_points()
    assert len(documented) == 27
    assert found - documented == set(), "points with several values that data/README.md does not explain"
    assert documented - found == set(), "data/README.md explains points that no longer have several values"


def test_a_new_point_with_several_values_is_noticed(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    with open(data / "facts.csv", "a", encoding="utf-8") as facts:
        facts.write("public_council_members,KZ,2020,3600,,persons,about,kazinform_2020_public_councils,,test,test:1\n")
    conflicts = EvidenceBase(data, cache_dir=tmp_path / "cache").run("conflicts")
    points = set(zip(conflicts["indicator_id"], conflicts["region"], conflicts["period"]))
    assert ("public_council_members", "KZ", "2020") in points - {point[:3] for point in documented_points()}


# --- issue 19: current figures from data/research/ ----------------------------------------------

RESEARCH_DIR = DATA_DIR / "research"


def research_rows(name: str) -> dict[int, dict[str, str]]:
    """Rows of a research file by the line they sit on (the header is line 1)."""
    with open(RESEARCH_DIR / name, encoding="utf-8", newline="") as fh:
        return dict(enumerate(csv.DictReader(fh), start=2))


def test_each_research_ref_points_at_a_row_holding_that_figure():
    files = {name: research_rows(name) for name in ("current_figures.csv", "population.csv", "compilation_tables.csv")}
    checks = research_rows("source_checks.csv")
    cited = {name: set() for name in files}
    for name in ("facts.csv", "events.csv"):
        for row in read_csv(name):
            for ref in row["ref"].split(";"):
                if not ref.startswith("research/"):
                    continue
                file, line = ref.removeprefix("research/").split(":")
                if file == "source_checks.csv":
                    assert int(line) in checks, ref
                    continue
                research = files[file][int(line)]
                assert (row["indicator_id"], row["region"], row["period"]) == (
                    research["indicator"], research["region"], research["year"]), ref
                assert float(row["value"]) == float(research["value"]) and row["unit"] == research["unit"], ref
                cited[file].add(int(line))
    # every research row with a figure is in the data
    assert {name: len(lines) for name, lines in cited.items()} == {name: len(rows) for name, rows in files.items()}


def test_compilation_tables_keep_the_unverified_tier(base):
    facts = [row for row in read_csv("facts.csv") if "research/compilation_tables.csv" in row["ref"]]
    assert len(facts) == len(read_csv("research/compilation_tables.csv"))  # every transcribed row is a fact
    assert {row["source_id"] for row in facts} == {"forvide_kazmaptest_compilation"}
    series = base.run("indicator_series", indicators=["state_social_order_amount"], regions=["KZ"])
    assert dict(zip(series["year"], series["value"]))[2024] == 33_776_800_000
    recent = series[series["year"] >= 2020]
    compilation = recent[recent["tier"] == "unverified_compilation"]
    assert sorted(compilation["year"]) == [2020, 2021, 2022, 2023, 2024, 2025]
    # The one named-source figure since 2020 is the plan for 2020, kept beside the compilation's.
    named = recent[recent["tier"] != "unverified_compilation"]
    assert list(zip(named["year"], named["value"], named["source_id"])) == [
        (2020, 18_000_000_000, "kt_2020_state_social_order")]


def test_per_resident_figures_meet_a_population_of_the_same_region_and_year(base):
    populations = {(row["region"], row["period"], float(row["value"]))
                   for row in read_csv("facts.csv") if row["indicator_id"] == "population"}
    for indicator in ("ngos_operating", "ngos_registered", "state_social_order_amount"):
        result = base.run("per_resident", indicator=indicator)
        assert not result.empty, indicator
        for region, year, population in zip(result["region"], result["year"], result["population_value"]):
            assert (region, str(year), population) in populations, (indicator, region, year)
    country = base.run("per_resident", indicator="ngos_registered", regions=["KZ"]).set_index("year")
    assert country.loc[2025, "population_value"] == 20_283_399  # the bureau's revised count, not the first release
    assert country.loc[2025, "n_population_values"] == 4
    # The bureau's figure quoted by a news outlet outranks an encyclopedia copy of the same date.
    north = base.run("per_resident", indicator="ngos_registered", regions=["KZ-59"]).set_index("year")
    assert (north.loc[2025, "population_value"], north.loc[2025, "population_tier"]) == (522_100, "independent_media")
    # Pages in German and Czech are sources like any other: West Kazakhstan's 2021 money meets the Czech page's count.
    west = base.run("per_resident", indicator="state_social_order_amount", regions=["KZ-27"]).set_index("year")
    assert west.loc[2021, "population_source_id"] == "abcdef_wiki_cs_west_kazakhstan"


def test_population_has_the_bureaus_start_of_year_counts_with_the_revision_kept(base):
    points = base.run("point_values", indicator="population", region="KZ", year=2025)
    assert set(points["value"]) == {20_286_084, 20_283_399}
    assert base.run("point_values", indicator="population", region="KZ-75", year=2026)["value"].tolist() == [2_347_924]
