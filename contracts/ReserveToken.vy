# pragma version 0.4.3
"""
@title ReserveToken
@notice ERC-20 issued against reserves: the owner mints on issuance and burns on redemption.
"""

from ethereum.ercs import IERC20

implements: IERC20

event Transfer:
    sender: indexed(address)
    receiver: indexed(address)
    value: uint256

event Approval:
    owner: indexed(address)
    spender: indexed(address)
    value: uint256

name: public(String[64])
symbol: public(String[32])
decimals: public(uint8)
totalSupply: public(uint256)
balanceOf: public(HashMap[address, uint256])
allowance: public(HashMap[address, HashMap[address, uint256]])
owner: public(address)


@deploy
def __init__(_name: String[64], _symbol: String[32], _decimals: uint8):
    self.name = _name
    self.symbol = _symbol
    self.decimals = _decimals
    self.owner = msg.sender


@external
def transfer(_to: address, _value: uint256) -> bool:
    self._transfer(msg.sender, _to, _value)
    return True


@external
def transferFrom(_from: address, _to: address, _value: uint256) -> bool:
    allowed: uint256 = self.allowance[_from][msg.sender]
    assert allowed >= _value, "allowance exceeded"
    if allowed != max_value(uint256):
        self.allowance[_from][msg.sender] = allowed - _value
    self._transfer(_from, _to, _value)
    return True


@external
def approve(_spender: address, _value: uint256) -> bool:
    self.allowance[msg.sender][_spender] = _value
    log Approval(owner=msg.sender, spender=_spender, value=_value)
    return True


@external
def mint(_to: address, _value: uint256):
    assert msg.sender == self.owner, "only owner"
    self._mint(_to, _value)


@external
def mintMany(_receivers: DynArray[address, 500], _values: DynArray[uint256, 500]):
    assert msg.sender == self.owner, "only owner"
    assert len(_receivers) == len(_values), "length mismatch"
    for i: uint256 in range(len(_receivers), bound=500):
        self._mint(_receivers[i], _values[i])


@external
def burn(_from: address, _value: uint256):
    assert msg.sender == self.owner, "only owner"
    assert self.balanceOf[_from] >= _value, "burn exceeds balance"
    self.balanceOf[_from] -= _value
    self.totalSupply -= _value
    log Transfer(sender=_from, receiver=empty(address), value=_value)


@internal
def _transfer(_from: address, _to: address, _value: uint256):
    assert _to != empty(address), "transfer to zero address"
    assert self.balanceOf[_from] >= _value, "insufficient balance"
    self.balanceOf[_from] -= _value
    self.balanceOf[_to] += _value
    log Transfer(sender=_from, receiver=_to, value=_value)


@internal
def _mint(_to: address, _value: uint256):
    assert _to != empty(address), "mint to zero address"
    self.totalSupply += _value
    self.balanceOf[_to] += _value
    log Transfer(sender=empty(address), receiver=_to, value=_value)
