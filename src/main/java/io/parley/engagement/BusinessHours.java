package io.parley.engagement;

import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * When a queue is open, as a weekly schedule in a time zone, e.g.
 * {@code "MON-FRI 08:00-18:00; SAT 10:00-14:00"} in {@code Europe/Berlin}. Days are MON..SUN,
 * as ranges ({@code MON-FRI}) or lists ({@code MON,WED}); {@code 00:00-24:00} is all day, and a
 * window whose end is before its start runs past midnight into the next day.
 */
public final class BusinessHours {

    private static final BusinessHours ALWAYS = new BusinessHours(null, List.of());

    private record Window(Set<DayOfWeek> days, LocalTime start, LocalTime end, boolean untilMidnight) {

        boolean contains(DayOfWeek day, LocalTime t) {
            boolean overnight = !untilMidnight && end.isBefore(start);
            if (days.contains(day)) {
                if (overnight || untilMidnight) {
                    return !t.isBefore(start);
                }
                return !t.isBefore(start) && t.isBefore(end);
            }
            // The part of an overnight window that falls on the next day.
            return overnight && days.contains(day.minus(1)) && t.isBefore(end);
        }
    }

    private final ZoneId zone;
    private final List<Window> windows;

    private BusinessHours(ZoneId zone, List<Window> windows) {
        this.zone = zone;
        this.windows = windows;
    }

    /** Always open. */
    public static BusinessHours always() {
        return ALWAYS;
    }

    /**
     * Parses a schedule; a null or blank schedule is always open.
     *
     * @throws IllegalArgumentException when the zone or the schedule is malformed
     */
    public static BusinessHours parse(String zoneId, String schedule) {
        if (schedule == null || schedule.isBlank()) {
            return ALWAYS;
        }
        ZoneId zone;
        try {
            zone = ZoneId.of(zoneId == null || zoneId.isBlank() ? "UTC" : zoneId.trim());
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("Not a time zone: '" + zoneId + "'", e);
        }
        List<Window> windows = new ArrayList<>();
        for (String part : schedule.split(";")) {
            String p = part.trim();
            if (p.isEmpty()) {
                continue;
            }
            String[] dayAndTime = p.split("\\s+");
            if (dayAndTime.length != 2) {
                throw new IllegalArgumentException("Expected 'DAYS HH:MM-HH:MM', got '" + p + "'");
            }
            String[] times = dayAndTime[1].split("-");
            if (times.length != 2) {
                throw new IllegalArgumentException("Expected a time range HH:MM-HH:MM, got '" + dayAndTime[1] + "'");
            }
            boolean untilMidnight = times[1].equals("24:00");
            LocalTime start = time(times[0]);
            LocalTime end = untilMidnight ? LocalTime.MIDNIGHT : time(times[1]);
            windows.add(new Window(days(dayAndTime[0]), start, end, untilMidnight));
        }
        return new BusinessHours(zone, List.copyOf(windows));
    }

    private static LocalTime time(String s) {
        try {
            return LocalTime.parse(s);
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("Not a time of day (HH:MM): '" + s + "'", e);
        }
    }

    private static Set<DayOfWeek> days(String spec) {
        Set<DayOfWeek> out = EnumSet.noneOf(DayOfWeek.class);
        for (String item : spec.split(",")) {
            String[] range = item.split("-");
            DayOfWeek from = day(range[0]);
            DayOfWeek to = range.length > 1 ? day(range[1]) : from;
            for (DayOfWeek d = from; ; d = d.plus(1)) {
                out.add(d);
                if (d == to) {
                    break;
                }
            }
        }
        return out;
    }

    private static DayOfWeek day(String s) {
        String d = s.trim().toUpperCase(Locale.ROOT);
        for (DayOfWeek w : DayOfWeek.values()) {
            if (w.name().startsWith(d) && d.length() >= 3) {
                return w;
            }
        }
        throw new IllegalArgumentException("Not a day of the week: '" + s + "'");
    }

    public boolean isOpen(Instant at) {
        if (windows.isEmpty()) {
            return true;
        }
        ZonedDateTime local = at.atZone(zone);
        for (Window w : windows) {
            if (w.contains(local.getDayOfWeek(), local.toLocalTime())) {
                return true;
            }
        }
        return false;
    }
}
