"""The three price sources read the same exact prices: a file, a SQL table, an HTTP endpoint."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import polars as pl
import pytest

from resources.prices import PriceResource, PriceSourceError
from stores.warehouse import Warehouse

SINCE = datetime(2026, 3, 1, tzinfo=UTC)
UNTIL = datetime(2026, 3, 2, 17, 0, tzinfo=UTC)
# 18 significant digits: a float would lose the tail, an exact read keeps it.
FINE = Decimal("0.123456789012345678")
CSV = ("asset,quote,price,observed_at\n"
       "XLM,EUR,0.123456789012345678,2026-03-02T16:59:00Z\n"
       "XLM,EUR,0.2,2026-03-02T17:30:00Z\n"  # after the cut-off: not returned
       "BTC,EUR,61000.5,2026-03-02 16:00:00+00\n")


def _check(read_prices: pl.DataFrame) -> None:
    xlm = read_prices.filter(pl.col("asset") == "XLM")
    assert xlm["price"].to_list() == [FINE]
    assert read_prices.filter(pl.col("asset") == "BTC")["price"].to_list() == [Decimal("61000.5")]


def test_csv_file(tmp_path: Path) -> None:
    (tmp_path / "prices.csv").write_text(CSV)
    (tmp_path / "vol.csv").write_text("asset,annual_vol\nXLM,0.65\n")
    read = PriceResource(kind="file", path=str(tmp_path / "prices.csv"),
                         volatility_path=str(tmp_path / "vol.csv")).source().read(SINCE, UNTIL)
    _check(read.prices)
    assert read.volatility == {"XLM": Decimal("0.65")}


def test_parquet_with_float_prices_is_refused(tmp_path: Path) -> None:
    # A float column cannot hold prices exactly; the read fails instead of rounding.
    pl.DataFrame({"asset": ["XLM"], "quote": ["EUR"], "price": [0.1], "observed_at": [UNTIL]}) \
        .write_parquet(tmp_path / "p.parquet")
    with pytest.raises(PriceSourceError, match="floats"):
        PriceResource(kind="file", path=str(tmp_path / "p.parquet")).source().read(SINCE, UNTIL)


def test_unparseable_price_is_an_error_not_a_null(tmp_path: Path) -> None:
    (tmp_path / "prices.csv").write_text("asset,quote,price,observed_at\nXLM,EUR,1e-3,2026-03-02T16:59:00Z\n")
    with pytest.raises(PriceSourceError, match="price"):
        PriceResource(kind="file", path=str(tmp_path / "prices.csv")).source().read(SINCE, UNTIL)


def test_sql_table(warehouse: Warehouse) -> None:
    with warehouse.engine.begin() as conn:
        conn.exec_driver_sql("CREATE SCHEMA IF NOT EXISTS credit_prices_test")
        conn.exec_driver_sql("DROP TABLE IF EXISTS credit_prices_test.prices")
        conn.exec_driver_sql("CREATE TABLE credit_prices_test.prices (asset text, quote text, price numeric, "
                             "observed_at timestamptz)")
        conn.exec_driver_sql(
            "INSERT INTO credit_prices_test.prices VALUES "
            "('XLM', 'EUR', 0.123456789012345678, '2026-03-02T16:59:00Z'), "
            "('XLM', 'EUR', 0.2, '2026-03-02T17:30:00Z'), ('BTC', 'EUR', 61000.5, '2026-03-02T16:00:00Z')")
    url = warehouse.engine.url.render_as_string(hide_password=False)
    read = PriceResource(kind="sql", url=url, table="prices", db_schema="credit_prices_test") \
        .source().read(SINCE, UNTIL)
    _check(read.prices)


class _Endpoint:
    """A local JSON endpoint: answers `fail_first` requests with 503, then `body` as it is written."""

    def __init__(self, body: bytes, fail_first: int = 0) -> None:
        self.body, self.fail_first, self.requests = body, fail_first, 0
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                return

            def do_GET(self) -> None:
                owner.requests += 1
                status, data = (503, b"{}") if owner.requests <= owner.fail_first else (200, owner.body)
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/prices"


@pytest.fixture
def endpoint() -> Iterator[_Endpoint]:
    # JSON numbers, not strings: the reader must take them from the text, never through float.
    ep = _Endpoint(b'{"prices": [{"asset": "XLM", "quote": "EUR", "price": 0.123456789012345678, '
                   b'"observed_at": "2026-03-02T16:59:00Z"}, {"asset": "BTC", "quote": "EUR", '
                   b'"price": "61000.5", "observed_at": "2026-03-02T16:00:00+00:00"}], '
                   b'"volatility": [{"asset": "BTC", "annual_vol": 0.55}]}', fail_first=2)
    ep.thread.start()
    yield ep
    ep.httpd.shutdown()
    ep.httpd.server_close()


def test_http_endpoint_retries_then_reads_exactly(endpoint: _Endpoint) -> None:
    res = PriceResource(kind="http", url=endpoint.url, retry_base_delay=0.01)
    read = res.source().read(SINCE, UNTIL)
    _check(read.prices)
    assert read.volatility == {"BTC": Decimal("0.55")}
    assert endpoint.requests == 3  # two 503s were retried


def test_http_endpoint_down_is_an_error(endpoint: _Endpoint) -> None:
    endpoint.fail_first = 100
    res = PriceResource(kind="http", url=endpoint.url, retry_attempts=2, retry_base_delay=0.01)
    with pytest.raises(PriceSourceError, match="HTTP 503"):
        res.source().read(SINCE, UNTIL)


def test_settings_from_the_credit_config_file(tmp_path: Path) -> None:
    # The deployment's JSON names the source; fields set on the resource itself win.
    (tmp_path / "prices.csv").write_text(CSV)
    (tmp_path / "credit.json").write_text('{"prices": {"kind": "file", "path": "%s"}}' % (tmp_path / "prices.csv"))
    _check(PriceResource(config_file=str(tmp_path / "credit.json")).source().read(SINCE, UNTIL).prices)
    with pytest.raises(PriceSourceError, match="needs url"):
        PriceResource(config_file=str(tmp_path / "credit.json"), kind="http").source()
