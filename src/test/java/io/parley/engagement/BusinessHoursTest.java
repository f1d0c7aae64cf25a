package io.parley.engagement;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class BusinessHoursTest {

    // 2026-11-23 is a Monday.
    private static Instant at(String utc) {
        return Instant.parse(utc);
    }

    @Test
    void weekdayWindowsInTheQueuesZone() {
        BusinessHours h = BusinessHours.parse("Europe/Berlin", "MON-FRI 08:00-18:00; SAT 10:00-14:00");
        assertTrue(h.isOpen(at("2026-11-23T07:00:00Z")), "08:00 in Berlin");
        assertFalse(h.isOpen(at("2026-11-23T06:59:00Z")));
        assertFalse(h.isOpen(at("2026-11-23T17:00:00Z")), "18:00 in Berlin is closed");
        assertTrue(h.isOpen(at("2026-11-28T09:30:00Z")), "Saturday 10:30 in Berlin");
        assertFalse(h.isOpen(at("2026-11-29T12:00:00Z")), "Sunday");
    }

    @Test
    void overnightAndAllDayWindows() {
        BusinessHours night = BusinessHours.parse("UTC", "FRI 22:00-02:00");
        assertTrue(night.isOpen(at("2026-11-27T23:00:00Z")));
        assertTrue(night.isOpen(at("2026-11-28T01:59:00Z")), "Saturday early morning belongs to Friday night");
        assertFalse(night.isOpen(at("2026-11-28T02:00:00Z")));
        BusinessHours allDay = BusinessHours.parse("UTC", "SUN 00:00-24:00");
        assertTrue(allDay.isOpen(at("2026-11-29T23:59:59Z")));
        assertTrue(BusinessHours.parse(null, null).isOpen(at("2026-11-29T03:00:00Z")));
    }

    @Test
    void malformedSchedulesAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> BusinessHours.parse("UTC", "MONDAYS 9-5"));
        assertThrows(IllegalArgumentException.class, () -> BusinessHours.parse("UTC", "XYZ 08:00-10:00"));
        assertThrows(IllegalArgumentException.class, () -> BusinessHours.parse("Mars/Olympus", "MON 08:00-10:00"));
    }
}
