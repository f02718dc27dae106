# pragma version 0.4.3
"""
@title Multicall3 (aggregate3 only)
@notice Same ABI and selector as Multicall3.aggregate3((address,bool,bytes)[]): many read calls in one
        eth_call. Sizes are bounded because Vyper arrays are: up to 1024 calls, 256 bytes per call and reply.
"""

MAX_CALLS: constant(uint256) = 1024
MAX_DATA: constant(uint256) = 256

struct Call3:
    target: address
    allowFailure: bool
    callData: Bytes[MAX_DATA]

struct Result:
    success: bool
    returnData: Bytes[MAX_DATA]


@external
@payable
def aggregate3(calls: DynArray[Call3, MAX_CALLS]) -> DynArray[Result, MAX_CALLS]:
    results: DynArray[Result, MAX_CALLS] = []
    for call: Call3 in calls:
        success: bool = False
        data: Bytes[MAX_DATA] = b""
        success, data = raw_call(
            call.target, call.callData, max_outsize=MAX_DATA, revert_on_failure=False
        )
        assert success or call.allowFailure, "Multicall3: call failed"
        results.append(Result(success=success, returnData=data))
    return results
