"""The per-process outage state: one report when the database fails, one when it answers again."""

from contest.errors.outage import Outage


def test_first_failure_opens_the_outage():
    assert Outage().failed() is True


def test_later_failures_of_the_same_outage_are_not_reported():
    outage = Outage()
    outage.failed()
    assert [outage.failed() for _ in range(5)] == [False] * 5


def test_success_during_an_outage_closes_it_with_its_failure_count():
    outage = Outage()
    for _ in range(3):
        outage.failed()
    assert outage.succeeded() == 3 and outage.active is False


def test_success_without_an_outage_reports_nothing():
    outage = Outage()
    assert outage.succeeded() == 0


def test_the_next_outage_is_reported_again():
    outage = Outage()
    outage.failed()
    outage.succeeded()
    assert outage.failed() is True and outage.failures == 1


def test_concurrent_failures_open_one_outage():
    from concurrent.futures import ThreadPoolExecutor

    outage = Outage()
    with ThreadPoolExecutor(8) as pool:
        opened = list(pool.map(lambda _: outage.failed(), range(200)))
    assert opened.count(True) == 1 and outage.failures == 200
