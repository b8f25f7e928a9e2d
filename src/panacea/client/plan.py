"""Client methods written once, as plans, and run by a blocking or an asyncio transport (sans-I/O).

A plan is a generator that yields effects (``Rpc``, ``Sleep``, ``Locked``) and returns the method's value;
the transport performs each effect and sends the outcome back in (or throws the error in). ``op`` turns a
plan into a method of both ``ChainClient`` and ``AsyncChainClient`` (sync: returns the value; async: a
coroutine), so the two clients cannot drift: they have the same methods, signatures and docstrings.
"""

from __future__ import annotations

import asyncio
import functools
import inspect
import time
from collections.abc import Callable, Coroutine, Generator
from dataclasses import dataclass
from typing import Any, Concatenate, Generic, ParamSpec, Protocol, TypeVar, cast, overload

from panacea.client.sequence import SequenceBook

P = ParamSpec("P")
S = TypeVar("S")
T = TypeVar("T")


@dataclass(frozen=True)
class Rpc:
    """Call a JSON-RPC method; the plan receives its ``result`` object."""

    method: str
    params: dict[str, Any]


@dataclass(frozen=True)
class Sleep:
    seconds: float


@dataclass(frozen=True)
class Locked:
    """Run ``plan`` holding the account lock of ``address`` (sign + CheckTx happen in sequence order)."""

    address: str
    plan: Plan[Any]


class Extension:
    """An effect of a richer runner (e.g. the SDK's service calls): a runner subclass performs it in ``_perform``."""


Effect = Rpc | Sleep | Locked | Extension
Plan = Generator[Effect, Any, T]


def rpc(method: str, params: dict[str, Any] | None = None) -> Plan[dict[str, Any]]:
    result = yield Rpc(method, params or {})
    return cast(dict[str, Any], result)


def sleep(seconds: float) -> Plan[None]:
    yield Sleep(seconds)


def locked(address: str, plan: Plan[T]) -> Plan[T]:
    result = yield Locked(address, plan)
    return cast(T, result)


class _SyncTransport(Protocol):
    sequences: SequenceBook[Any]

    def rpc(self, method: str, params: dict[str, Any] | None = None) -> dict[str, Any]: ...


class _AsyncTransport(Protocol):
    sequences: SequenceBook[Any]

    async def rpc(self, method: str, params: dict[str, Any] | None = None) -> dict[str, Any]: ...


class _Stepper:
    """Advances a plan: sends in the last effect's outcome (or throws its error); ``None`` once it returned."""

    def __init__(self, plan: Plan[Any]) -> None:
        self.plan = plan
        self.outcome: Any = None
        self.error: Exception | None = None
        self.value: Any = None

    def next(self) -> Effect | None:
        outcome, error, self.outcome, self.error = self.outcome, self.error, None, None
        try:
            return self.plan.send(outcome) if error is None else self.plan.throw(error)
        except StopIteration as done:
            self.value = done.value
            return None


class SyncRunner:
    """Runs plans with blocking I/O (the subclass gives ``rpc``; locks are ``threading.Lock``)."""

    def _sync_transport(self) -> _SyncTransport:
        return cast(_SyncTransport, self)

    def run_plan(self, plan: Plan[T]) -> T:
        """Drive ``plan`` to its value, performing each effect it yields."""
        transport = self._sync_transport()
        step = _Stepper(plan)
        while (effect := step.next()) is not None:
            try:
                if isinstance(effect, Rpc):
                    step.outcome = transport.rpc(effect.method, effect.params)
                elif isinstance(effect, Sleep):
                    time.sleep(effect.seconds)
                elif isinstance(effect, Locked):
                    with transport.sequences.entry(effect.address)[0]:
                        step.outcome = self.run_plan(effect.plan)
                else:
                    step.outcome = self._perform(effect)
            except Exception as e:  # handed to the plan, which re-raises what it does not handle
                step.error = e
        return cast(T, step.value)

    def _perform(self, effect: Extension) -> Any:
        """Perform an effect the chain transport does not know (a subclass that yields them overrides this)."""
        raise TypeError(f"{type(self).__name__} cannot perform {effect!r}")


class AsyncRunner:
    """Runs plans with asyncio I/O (the subclass gives ``rpc``; locks are ``asyncio.Lock``)."""

    def _async_transport(self) -> _AsyncTransport:
        return cast(_AsyncTransport, self)

    async def run_plan(self, plan: Plan[T]) -> T:
        """Drive ``plan`` to its value, awaiting each effect it yields."""
        transport = self._async_transport()
        step = _Stepper(plan)
        while (effect := step.next()) is not None:
            try:
                if isinstance(effect, Rpc):
                    step.outcome = await transport.rpc(effect.method, effect.params)
                elif isinstance(effect, Sleep):
                    await asyncio.sleep(effect.seconds)
                elif isinstance(effect, Locked):
                    async with transport.sequences.entry(effect.address)[0]:
                        step.outcome = await self.run_plan(effect.plan)
                else:
                    step.outcome = await self._perform(effect)
            except Exception as e:  # handed to the plan, which re-raises what it does not handle
                step.error = e
        return cast(T, step.value)

    async def _perform(self, effect: Extension) -> Any:
        """Perform an effect the chain transport does not know (a subclass that yields them overrides this)."""
        raise TypeError(f"{type(self).__name__} cannot perform {effect!r}")


class op(Generic[S, P, T]):
    """A method defined once as a plan: a value on a SyncRunner, a coroutine on an AsyncRunner."""

    def __init__(self, plan: Callable[Concatenate[S, P], Plan[T]]) -> None:
        self.plan = plan
        functools.update_wrapper(self, plan)
        sig = inspect.signature(plan).replace(return_annotation=inspect.Signature.empty)
        self.__signature__ = sig
        self._bound_signature = sig.replace(parameters=list(sig.parameters.values())[1:])

    def __call__(self, obj: SyncRunner | AsyncRunner, /, *args: Any, **kwargs: Any) -> object:
        """Called on the class, like an unbound method: ``ChainClient.status(client)``."""
        method: Callable[..., object] = self.__get__(obj, type(obj))
        return method(*args, **kwargs)

    def __set_name__(self, owner: type, name: str) -> None:
        self._name = name

    @overload
    def __get__(self, obj: None, owner: type) -> op[S, P, T]: ...
    @overload
    def __get__(self, obj: SyncRunner, owner: type) -> Callable[P, T]: ...
    @overload
    def __get__(self, obj: AsyncRunner, owner: type) -> Callable[P, Coroutine[Any, Any, T]]: ...

    def __get__(self, obj: object, owner: type) -> object:
        if obj is None:
            return self
        call = self._bind(obj)
        obj.__dict__[self._name] = call  # later lookups skip the descriptor (as functools.cached_property)
        return call

    def _bind(self, obj: object) -> Callable[..., object]:
        plan = self.plan
        if isinstance(obj, AsyncRunner):
            runner: AsyncRunner = obj

            async def call_async(*args: P.args, **kwargs: P.kwargs) -> T:
                return await runner.run_plan(plan(cast(S, runner), *args, **kwargs))

            call: Callable[..., object] = call_async
        else:
            sync_runner = cast(SyncRunner, obj)

            def call_sync(*args: P.args, **kwargs: P.kwargs) -> T:
                return sync_runner.run_plan(plan(cast(S, sync_runner), *args, **kwargs))

            call = call_sync
        call.__doc__, call.__name__ = plan.__doc__, plan.__name__
        call.__signature__ = self._bound_signature  # type: ignore[attr-defined]
        return call
