package io.parley.api;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.SerializationConfig;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.BeanPropertyWriter;
import com.fasterxml.jackson.databind.ser.BeanSerializerModifier;
import java.io.IOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * The twins of Parley's answers: after every {@link WireId} number its decimal text, after every
 * {@link WireTime} its ISO-8601 form (the time itself as epoch milliseconds), each under the
 * property's name plus {@code String}. Times that clients read as text only are {@link #ISO} strings.
 */
public final class WireModule extends SimpleModule {
    private static final long serialVersionUID = 1L;

    /** ISO-8601 in UTC with milliseconds, e.g. {@code 2026-11-26T09:16:40.123Z}: what JavaScript's Date parses. */
    public static final DateTimeFormatter ISO = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    /** {@code t} as {@link #ISO} text; null stays null. */
    public static String iso(Instant t) {
        return t == null ? null : ISO.format(t);
    }

    public WireModule() {
        super("parley-wire");
        setSerializerModifier(new BeanSerializerModifier() {
            @Override
            public List<BeanPropertyWriter> changeProperties(SerializationConfig config, BeanDescription bean,
                                                             List<BeanPropertyWriter> properties) {
                if (properties.stream().noneMatch(WireModule::twinned)) {
                    return properties;
                }
                List<BeanPropertyWriter> withTwins = new ArrayList<>();
                for (BeanPropertyWriter p : properties) {
                    if (p.getAnnotation(WireTime.class) != null) {
                        withTwins.add(new EpochMillis(p));
                        withTwins.add(new StringTwin(p));
                    } else {
                        withTwins.add(p);
                        if (p.getAnnotation(WireId.class) != null) {
                            withTwins.add(new StringTwin(p));
                        }
                    }
                }
                return withTwins;
            }
        });
    }

    private static boolean twinned(BeanPropertyWriter p) {
        return p.getAnnotation(WireId.class) != null || p.getAnnotation(WireTime.class) != null;
    }

    /** A property written in its own way, and null as null. */
    private abstract static class Twin extends BeanPropertyWriter {
        private static final long serialVersionUID = 1L;

        Twin(BeanPropertyWriter property, String name) {
            super(property, new SerializedString(name));
        }

        abstract void write(Object value, JsonGenerator gen) throws IOException;

        @Override
        public void serializeAsField(Object bean, JsonGenerator gen, SerializerProvider provider) throws Exception {
            Object value = get(bean);
            if (value == null && _suppressNulls) {
                return; // as the property itself is, under @JsonInclude(NON_NULL)
            }
            gen.writeFieldName(_name);
            if (value == null) {
                gen.writeNull();
            } else {
                write(value, gen);
            }
        }
    }

    /** The value again as text, under the property's name plus {@code String}: an id in decimal, a time in ISO. */
    private static final class StringTwin extends Twin {
        private static final long serialVersionUID = 1L;

        StringTwin(BeanPropertyWriter property) {
            super(property, property.getName() + "String");
        }

        @Override
        void write(Object value, JsonGenerator gen) throws IOException {
            gen.writeString(value instanceof Instant t ? ISO.format(t) : value.toString());
        }
    }

    /** A time as epoch milliseconds. */
    private static final class EpochMillis extends Twin {
        private static final long serialVersionUID = 1L;

        EpochMillis(BeanPropertyWriter time) {
            super(time, time.getName());
        }

        @Override
        void write(Object value, JsonGenerator gen) throws IOException {
            gen.writeNumber(((Instant) value).toEpochMilli());
        }
    }
}
