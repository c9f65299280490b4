package dev.cutover.engine;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The runbook's params as blocks read them ({@code params.name}), and the secret ones too short
 * to mask without masking ordinary text (the operator is warned about those).
 */
record ParamValues(Map<String, Object> values, List<String> weakSecrets) {
    static final ParamValues NONE = new ParamValues(Map.of(), List.of());

    /** The values, with every secret one added to {@code redactor} so it is masked from here on. */
    static ParamValues of(Map<String, String> values, Set<String> secretNames, Redactor redactor) {
        List<String> weak = new ArrayList<>();
        for (String name : secretNames) {
            String v = values.get(name);
            redactor.add(v);
            if (v != null && v.length() < Redactor.SAFE_LENGTH) weak.add(name);
        }
        return new ParamValues(Collections.unmodifiableMap(new LinkedHashMap<>(values)), List.copyOf(weak));
    }
}
