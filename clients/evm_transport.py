"""JSON-RPC over web3's HTTPProvider: single and batch requests, retried when the node falters.

web3's own retry is off (ours is bounded and jittered) and its request logging, which prints the
endpoint (often carrying an API key), goes to a silent logger."""

from __future__ import annotations

import functools
import logging
from typing import Any

import requests

from clients.chain_retry import ChainReadError, RetryPolicy, TransientError, with_retries
from recon.chain import rpc_errors

_quiet = logging.getLogger("reserve_recon.evm.rpc")
_quiet.addHandler(logging.NullHandler())
_quiet.propagate = False


class RpcError(ChainReadError):
    def __init__(self, method: str, code: int | None, message: str) -> None:
        super().__init__(f"{method}: node error {code}: {message}")
        self.method, self.code, self.message = method, code, message
        self.kind = rpc_errors.classify(code, message, method)


@functools.cache
def _provider_class() -> type:
    """web3 takes seconds to import: only a process that reads a chain pays for it, not every process that
    loads the definitions (each queued run, the UI's code server)."""
    from web3 import HTTPProvider

    class _Provider(HTTPProvider):
        logger = _quiet

        def __str__(self) -> str:
            return "RPC connection (endpoint hidden)"

    return _Provider


class JsonRpcTransport:
    def __init__(self, label: str, url: str, timeout: float, policy: RetryPolicy) -> None:
        self.label = label
        self.policy = policy
        self._provider = _provider_class()(
            url, request_kwargs={"timeout": timeout}, exception_retry_configuration=None
        )

    def call(self, method: str, params: list[Any]) -> Any:
        return self.batch([(method, params)])[0]

    def batch(self, calls: list[tuple[str, list[Any]]]) -> list[Any]:
        """Results in order; one HTTP round trip (retried whole: reads are idempotent)."""
        if not calls:
            return []
        what = f"{self.label}: {calls[0][0]}" + (f" (+{len(calls) - 1} more)" if len(calls) > 1 else "")
        return with_retries(lambda: self._attempt(calls), self.policy, what)

    def _attempt(self, calls: list[tuple[str, list[Any]]]) -> list[Any]:
        try:
            if len(calls) == 1:
                replies: Any = [self._provider.make_request(calls[0][0], calls[0][1])]  # type: ignore[arg-type]
            else:
                replies = self._provider.make_batch_request(calls)  # type: ignore[arg-type]
        except requests.Timeout:
            raise TransientError("timed out") from None
        except requests.ConnectionError:
            raise TransientError("connection failed") from None
        except requests.HTTPError as exc:
            status = exc.response.status_code if exc.response is not None else 0
            if status == 429 or status >= 500:
                raise TransientError(f"HTTP {status}") from None
            raise ChainReadError(f"{self.label}: HTTP {status}") from None
        except ValueError:  # the body was not JSON
            raise TransientError("malformed reply (not JSON)") from None
        if isinstance(replies, dict):  # a batch refused as a whole answers with one error object
            replies = [replies] * len(calls)
        if not isinstance(replies, list) or len(replies) != len(calls):
            raise TransientError("malformed reply (batch size differs)")
        results = []
        for (method, _), reply in zip(calls, replies, strict=True):
            if not isinstance(reply, dict) or ("result" not in reply and "error" not in reply):
                raise TransientError("malformed reply (no result)")
            if "error" in reply:
                err = reply["error"] if isinstance(reply["error"], dict) else {}
                error = RpcError(method, err.get("code"), str(err.get("message", "")))
                if error.kind == rpc_errors.TRANSIENT:
                    raise TransientError(str(error))
                raise error
            results.append(reply["result"])
        return results
