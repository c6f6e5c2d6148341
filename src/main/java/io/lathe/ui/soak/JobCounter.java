package io.lathe.ui.soak;

import io.lathe.job.JobHandle;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.WeakHashMap;

/**
 * Counts the window's jobs by how they ended (succeeded, cancelled, failed) and by title, from the job
 * changes the engine runner reports. Told on the FX thread; read from any thread.
 */
final class JobCounter implements JobHandle.ProgressListener {
    /** Jobs not ended yet (kept until they end). */
    private final Set<JobHandle<?>> live = Collections.newSetFromMap(new IdentityHashMap<>());
    /** Jobs that ended, held weakly so that the soak keeps no results alive (handles compare by identity). */
    private final Set<JobHandle<?>> ended = Collections.newSetFromMap(new WeakHashMap<>());
    private int started;
    private final Map<JobHandle.State, Integer> byState = new TreeMap<>();
    private final Map<String, Integer> endedByTitle = new TreeMap<>();

    @Override
    public synchronized void changed(JobHandle<?> job) {
        if (ended.contains(job)) {
            return;
        }
        if (live.add(job)) {
            started++;
        }
        JobHandle.State s = job.state();
        boolean over = s == JobHandle.State.SUCCEEDED || s == JobHandle.State.CANCELLED || s == JobHandle.State.FAILED;
        if (over) {
            live.remove(job);
            ended.add(job);
            byState.merge(s, 1, Integer::sum);
            endedByTitle.merge(job.title(), 1, Integer::sum);
        }
    }

    /** How many jobs with exactly this title have ended (any way). */
    synchronized int ended(String title) {
        return endedByTitle.getOrDefault(title, 0);
    }

    synchronized int count(JobHandle.State s) {
        return byState.getOrDefault(s, 0);
    }

    /** The report's {@code jobs} object. */
    synchronized Map<String, Object> figures() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("started", started);
        out.put("succeeded", count(JobHandle.State.SUCCEEDED));
        out.put("cancelled", count(JobHandle.State.CANCELLED));
        out.put("failed", count(JobHandle.State.FAILED));
        out.put("unfinished", live.size());
        Map<String, Integer> titles = new TreeMap<>();
        endedByTitle.forEach((t, n) -> titles.merge(t.startsWith("Open data ") ? "Open data …"
                : t.startsWith("Open ") ? "Open model …" : t, n, Integer::sum));
        out.put("endedByTitle", titles);
        return out;
    }
}
