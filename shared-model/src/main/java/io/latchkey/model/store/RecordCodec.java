package io.latchkey.model.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * Versioned JSON for one record type. Every stored value carries {@code "v"}; a reader ignores fields
 * it does not know, so a newer writer and an older reader can share Redis during a rolling upgrade, and
 * a reader of a newer version migrates older values here, in one place.
 */
public final class RecordCodec<T> {

    static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
            .build();

    private final Class<T> type;
    private final int version;

    public RecordCodec(Class<T> type, int version) {
        this.type = type;
        this.version = version;
    }

    public String write(T record) {
        ObjectNode node = MAPPER.valueToTree(record);
        node.put("v", version);
        return node.toString();
    }

    /**
     * @param key where the value came from, named in the error
     * @throws StoreException of kind CORRUPT when the value is not a readable record of this type
     */
    public T read(String key, String json) {
        try {
            ObjectNode node = (ObjectNode) MAPPER.readTree(json);
            if (node == null || !node.has("v") || !node.get("v").canConvertToInt()) {
                throw StoreException.corrupt(key, new IllegalArgumentException("no version field \"v\""));
            }
            node.remove("v");
            return MAPPER.treeToValue(node, type);
        } catch (JsonProcessingException | ClassCastException | IllegalArgumentException e) {
            throw StoreException.corrupt(key, e);
        }
    }
}
