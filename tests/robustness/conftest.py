"""The robustness tests' figures (what a test records with `record_property`, e.g. how many
requests failed while the load balancer noticed a killed instance) at the end of the run's
report, so that they are seen without -s or a JUnit file."""


def pytest_terminal_summary(terminalreporter):
    figures = [
        (report.nodeid, name, value)
        for outcome in ("passed", "failed")
        for report in terminalreporter.stats.get(outcome, [])
        if report.when == "call" and "robustness" in report.nodeid
        for name, value in report.user_properties
    ]
    if figures:
        terminalreporter.section("robustness figures")
        for nodeid, name, value in figures:
            terminalreporter.write_line(f"{nodeid.rsplit('::', 1)[-1]}: {name} = {value}")
