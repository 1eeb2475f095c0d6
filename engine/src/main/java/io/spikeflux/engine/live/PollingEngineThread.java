package io.spikeflux.engine.live;

import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Queue;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.Executors;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import reactor.util.concurrent.Queues;

/**
 * An engine thread that keeps polling for tasks and due timers for a while after its last work
 * instead of going to sleep: a busy sensor's packets and step-closing timers then never wait for
 * the thread to be woken. On a virtual machine such a wake-up can wait milliseconds for the
 * hypervisor to run the sleeping CPU again (the demo's latency tail, BENCHMARKS.md session 8);
 * the price is a core per busy engine thread. After {@code pollNanos} without work the thread
 * sleeps until its next timer or task, like a plain single-thread executor.
 *
 * <p>Timers live in a heap only this thread touches; other threads hand theirs over through the
 * task queue. Cancelled timers are dropped when they come due.
 */
final class PollingEngineThread extends AbstractExecutorService implements ScheduledExecutorService {

    private static final AtomicLong SEQUENCE = new AtomicLong();

    private final Queue<Runnable> tasks = Queues.<Runnable>unboundedMultiproducer().get();
    private final PriorityQueue<Timer<?>> timers = new PriorityQueue<>();
    private final long pollNanos;
    private final Thread thread;
    private volatile boolean parked;
    private volatile boolean shutdown;

    PollingEngineThread(String name, long pollNanos) {
        this.pollNanos = pollNanos;
        this.thread = new Thread(this::loop, name);
        thread.setDaemon(true);
        thread.start();
    }

    private void loop() {
        // a thread without work yet sleeps: an engine thread that never gets a sensor costs nothing
        long lastWork = System.nanoTime() - pollNanos;
        while (!shutdown) {
            Runnable task = tasks.poll();
            if (task != null) {
                runSafely(task);
                lastWork = System.nanoTime();
                continue;
            }
            long now = System.nanoTime();
            Timer<?> next = timers.peek();
            if (next != null && next.due - now <= 0) {
                timers.poll();
                if (!next.isCancelled()) {
                    next.fire();
                    Thread.interrupted();
                    lastWork = System.nanoTime();
                }
                continue;
            }
            if (now - lastWork < pollNanos) {
                Thread.onSpinWait();
                continue;
            }
            // a producer that offers after this flag is visible unparks; one that offered before is seen here
            parked = true;
            if (tasks.isEmpty() && !shutdown) {
                if (next == null) {
                    LockSupport.park(this);
                } else {
                    LockSupport.parkNanos(this, next.due - now);
                }
            }
            // no work yet: a wake-up without a task or a due timer (a cancelled one's) sleeps again
            parked = false;
        }
        tasks.clear();
        timers.clear();
    }

    private static void runSafely(Runnable task) {
        try {
            task.run();
        } catch (Throwable t) {
            // a FutureTask keeps its own failure; anything else is the thread's to report and survive
            Thread.currentThread().getUncaughtExceptionHandler().uncaughtException(Thread.currentThread(), t);
        }
        // a task cancelled with an interrupt (Reactor disposes that way) must not leave the flag
        // set: park() would return at once and the thread would spin for the rest of its life
        Thread.interrupted();
    }

    @Override
    public void execute(Runnable command) {
        if (shutdown) {
            throw new RejectedExecutionException(thread.getName() + " is shut down");
        }
        tasks.offer(command);
        if (parked) {
            LockSupport.unpark(thread);
        }
    }

    private <V> Timer<V> arm(Timer<V> timer) {
        if (Thread.currentThread() == thread) {
            if (shutdown) {
                throw new RejectedExecutionException(thread.getName() + " is shut down");
            }
            timers.add(timer);
        } else {
            execute(() -> timers.add(timer));
        }
        return timer;
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        return arm(new Timer<>(Executors.callable(command), System.nanoTime() + unit.toNanos(delay), 0));
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
        return arm(new Timer<>(callable, System.nanoTime() + unit.toNanos(delay), 0));
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
        if (period <= 0) {
            throw new IllegalArgumentException("period must be positive: " + period);
        }
        return arm(new Timer<>(Executors.callable(command), System.nanoTime() + unit.toNanos(initialDelay),
                unit.toNanos(period)));
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
        if (delay <= 0) {
            throw new IllegalArgumentException("delay must be positive: " + delay);
        }
        return arm(new Timer<>(Executors.callable(command), System.nanoTime() + unit.toNanos(initialDelay),
                -unit.toNanos(delay)));
    }

    @Override
    public void shutdown() {
        shutdown = true;
        LockSupport.unpark(thread);
    }

    @Override
    public List<Runnable> shutdownNow() {
        shutdown();
        // the queue has one consumer, the engine thread, which drops what is left as it ends
        return new ArrayList<>();
    }

    @Override
    public boolean isShutdown() {
        return shutdown;
    }

    @Override
    public boolean isTerminated() {
        return shutdown && !thread.isAlive();
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        thread.join(Math.max(1, unit.toMillis(timeout)));
        return !thread.isAlive();
    }

    /**
     * A task due at a time of {@link System#nanoTime()}; {@code period} > 0 repeats it at a fixed
     * rate, < 0 with a fixed delay after each run, 0 runs it once.
     */
    private final class Timer<V> extends FutureTask<V> implements ScheduledFuture<V> {
        private final long sequence = SEQUENCE.getAndIncrement();
        private final long period;
        private long due;

        Timer(Callable<V> callable, long due, long period) {
            super(callable);
            this.due = due;
            this.period = period;
        }

        void fire() {
            if (period == 0) {
                run();
            } else if (runAndReset()) {
                due = period > 0 ? due + period : System.nanoTime() - period;
                timers.add(this);
            }
        }

        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(due - System.nanoTime(), TimeUnit.NANOSECONDS);
        }

        @Override
        public int compareTo(Delayed other) {
            if (other instanceof Timer<?> t) {
                int c = Long.compare(due - t.due, 0);
                return c != 0 ? c : Long.compare(sequence, t.sequence);
            }
            return Long.compare(getDelay(TimeUnit.NANOSECONDS), other.getDelay(TimeUnit.NANOSECONDS));
        }
    }
}
