// Used by scripts/kernel.js: queue zeromq sends so tslab never sends twice at once (see below).
/**
 * zeromq 6 throws "Socket is busy writing; only one send operation may be in progress at any time"
 * (EBUSY) when a send starts before the previous one finished, and tslab sends without waiting. Long
 * training runs that update a progress bar and a live chart hit this and the kernel died. Queue the
 * sends of each socket so they go out one after another, in order.
 */
function serializeZmqSends(from = __dirname) {
  const zmq = require(require.resolve("zeromq", { paths: [from] }));
  const seen = new Set();
  const queues = new WeakMap(); // socket -> promise of its last send (native sockets take no expando fields)
  for (const name of Object.keys(zmq)) {
    const proto = zmq[name] && zmq[name].prototype;
    const send = proto && proto.send;
    if (typeof send !== "function" || seen.has(send) || send.__queued) continue;
    seen.add(send);
    const queued = function (msg) {
      const run = () => send.call(this, msg);
      const next = (queues.get(this) || Promise.resolve()).then(run, run);
      queues.set(this, next.catch((err) => console.error(`[mini-jepa kernel] send failed: ${err && err.message}`)));
      return next;
    };
    queued.__queued = true;
    Object.defineProperty(proto, "send", { value: queued, writable: true, configurable: true });
  }
}

module.exports = { serializeZmqSends };
