package io.parley.compliance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ComplianceAuditTest {

    private final List<String> lines = new ArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord r) {
            lines.add(new SimpleFormatter().formatMessage(r));
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void listen() {
        Logger.getLogger(ComplianceAudit.LOGGER).addHandler(capture);
    }

    @AfterEach
    void stopListening() {
        Logger.getLogger(ComplianceAudit.LOGGER).removeHandler(capture);
    }

    @Test
    void aDenialIsOneLineWithAddressCountrySitePathAndRule() {
        new ComplianceAudit().denied(new Denial(Denial.Rule.DENIED_COUNTRY, "IR"),
                new ComplianceAudit.Caller("203.0.113.9", "IR", "demo", "POST", "/engagement/api/consumer/demo/v1/getMessages"),
                "403");
        assertEquals(List.of("DENY rule=DENIED_COUNTRY match=IR address=203.0.113.9 country=IR site=demo method=POST"
                + " path=/engagement/api/consumer/demo/v1/getMessages answer=403"), lines);
    }

    @Test
    void valuesCannotBreakTheLine() {
        new ComplianceAudit().denied(new Denial(Denial.Rule.UNKNOWN_COUNTRY, null),
                new ComplianceAudit.Caller("evil\r\nDENY rule=FAKE", null, null, "GET", "/a b"), "403");
        assertEquals(List.of("DENY rule=UNKNOWN_COUNTRY match=- address=evil__DENY_rule=FAKE country=- site=- method=GET"
                + " path=/a_b answer=403"), lines);
    }
}
