"""kombu's Redis transport, with a worker that survives the broker going away.

kombu 5.7 acts on a channel whose connection broke as if the connection were still there; once it
is released (``channel.connection`` or its ``client`` is None), building a Redis client raises
AttributeError. That is not a connection error, so Celery calls it "Unrecoverable" and the worker
exits. Seen in the fault tier's broker-outage test, killing the Redis server with a fetch in flight:

* closing the broken channel "restores" the messages the worker held unacknowledged;
* after reconnecting, the task that was running finishes and acks its message on the old channel.

Neither needs the old connection: Redis keeps those messages in its unacked hash and hands them out
again after the visibility timeout. So this QoS leaves them there on close, and turns an ack on a
dead channel into the connection error it is (Celery logs "Couldn't ack" and carries on).
"""

from __future__ import annotations

import logging

from kombu.transport import redis
from redis.exceptions import ConnectionError as RedisConnectionError

logger = logging.getLogger(__name__)


class QoS(redis.QoS):
    def _connection_gone(self) -> bool:
        connection = self.channel.connection
        return connection is None or connection.client is None

    def restore_unacked(self, client: object = None) -> None:
        if client is None and self._connection_gone():
            # QoS.__init__ sets it; the None in celery-types' stub is the class attribute's.
            assert self._delivered is not None
            logger.warning(
                "broker connection lost with %d message(s) unacknowledged: Redis hands them out "
                "again after the visibility timeout",
                len(self._delivered),
            )
            self._delivered.clear()
            return
        super().restore_unacked(client)

    def ack(self, delivery_tag: str) -> None:
        if self._connection_gone():
            raise RedisConnectionError(f"cannot ack {delivery_tag}: its channel was closed")
        super().ack(delivery_tag)

    def reject(self, delivery_tag: str, requeue: bool = False) -> None:
        if self._connection_gone():
            raise RedisConnectionError(f"cannot reject {delivery_tag}: its channel was closed")
        super().reject(delivery_tag, requeue)


class Channel(redis.Channel):
    QoS = QoS


class Transport(redis.Transport):
    Channel = Channel
