package io.parley.compliance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ComplianceAuditTest {

    private LogCapture log;

    @BeforeEach
    void listen() {
        log = LogCapture.listen(ComplianceAudit.LOGGER, Level.ALL);
    }

    @AfterEach
    void stopListening() {
        log.close();
    }

    @Test
    void aDenialIsOneLineWithAddressCountrySitePathAndRule() {
        new ComplianceAudit().denied(new Denial(Denial.Rule.DENIED_COUNTRY, "IR"),
                new ComplianceAudit.Caller("203.0.113.9", "IR", "demo", "POST", "/engagement/api/consumer/demo/v1/getMessages"),
                "403");
        assertEquals(List.of("DENY rule=DENIED_COUNTRY match=IR address=203.0.113.9 country=IR site=demo method=POST"
                + " path=/engagement/api/consumer/demo/v1/getMessages answer=403"), log.messages());
    }

    @Test
    void valuesCannotBreakTheLine() {
        new ComplianceAudit().denied(new Denial(Denial.Rule.UNKNOWN_COUNTRY, null),
                new ComplianceAudit.Caller("evil\r\nDENY rule=FAKE", null, null, "GET", "/a b"), "403");
        assertEquals(List.of("DENY rule=UNKNOWN_COUNTRY match=- address=evil__DENY_rule=FAKE country=- site=- method=GET"
                + " path=/a_b answer=403"), log.messages());
    }
}
