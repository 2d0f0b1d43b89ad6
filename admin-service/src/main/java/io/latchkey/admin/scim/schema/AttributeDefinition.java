package io.latchkey.admin.scim.schema;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One attribute of a SCIM schema with its characteristics (RFC 7643 §2.2, §7). The same definition drives
 * /Schemas, projection ({@link #returned}), PATCH ({@link #mutability}, {@link #type}) and filters
 * ({@link #caseExact}, {@link #type}). Names are matched case-insensitively (RFC 7643 §2.1).
 */
public record AttributeDefinition(
        String name,
        AttributeType type,
        boolean multiValued,
        String description,
        boolean required,
        boolean caseExact,
        Mutability mutability,
        Returned returned,
        Uniqueness uniqueness,
        List<String> canonicalValues,
        List<String> referenceTypes,
        List<AttributeDefinition> subAttributes) {

    public AttributeDefinition {
        canonicalValues = List.copyOf(canonicalValues);
        referenceTypes = List.copyOf(referenceTypes);
        subAttributes = List.copyOf(subAttributes);
    }

    /** The sub-attribute of that name, case-insensitively; empty for a simple attribute. */
    public Optional<AttributeDefinition> subAttribute(String subName) {
        for (AttributeDefinition sub : subAttributes) {
            if (sub.name.equalsIgnoreCase(subName)) {
                return Optional.of(sub);
            }
        }
        return Optional.empty();
    }

    public boolean complex() {
        return type == AttributeType.COMPLEX;
    }

    /** A client may never write it (readOnly). */
    public boolean readOnly() {
        return mutability == Mutability.READ_ONLY;
    }

    public static Builder builder(String name, AttributeType type) {
        return new Builder(name, type);
    }

    public static Builder string(String name) {
        return new Builder(name, AttributeType.STRING);
    }

    public static Builder bool(String name) {
        return new Builder(name, AttributeType.BOOLEAN);
    }

    public static Builder dateTime(String name) {
        return new Builder(name, AttributeType.DATE_TIME);
    }

    public static Builder reference(String name, String... referenceTypes) {
        return new Builder(name, AttributeType.REFERENCE).referenceTypes(referenceTypes).caseExact();
    }

    public static Builder complex(String name, AttributeDefinition... subAttributes) {
        return new Builder(name, AttributeType.COMPLEX).subAttributes(subAttributes);
    }

    /** Defaults as RFC 7643 §2.2 gives them: singular, optional, case-insensitive, readWrite, default, none. */
    public static final class Builder {
        private final String name;
        private final AttributeType type;
        private boolean multiValued;
        private String description = "";
        private boolean required;
        private boolean caseExact;
        private Mutability mutability = Mutability.READ_WRITE;
        private Returned returned = Returned.DEFAULT;
        private Uniqueness uniqueness = Uniqueness.NONE;
        private List<String> canonicalValues = List.of();
        private List<String> referenceTypes = List.of();
        private List<AttributeDefinition> subAttributes = List.of();

        private Builder(String name, AttributeType type) {
            this.name = name;
            this.type = type;
        }

        public Builder multiValued() {
            this.multiValued = true;
            return this;
        }

        public Builder description(String description) {
            this.description = description;
            return this;
        }

        public Builder required() {
            this.required = true;
            return this;
        }

        public Builder caseExact() {
            this.caseExact = true;
            return this;
        }

        public Builder mutability(Mutability mutability) {
            this.mutability = mutability;
            return this;
        }

        public Builder readOnly() {
            return mutability(Mutability.READ_ONLY);
        }

        public Builder immutable() {
            return mutability(Mutability.IMMUTABLE);
        }

        public Builder returned(Returned returned) {
            this.returned = returned;
            return this;
        }

        public Builder uniqueness(Uniqueness uniqueness) {
            this.uniqueness = uniqueness;
            return this;
        }

        public Builder canonicalValues(String... values) {
            this.canonicalValues = List.of(values);
            return this;
        }

        public Builder referenceTypes(String... types) {
            this.referenceTypes = List.of(types);
            return this;
        }

        public Builder subAttributes(AttributeDefinition... subs) {
            this.subAttributes = new ArrayList<>(List.of(subs));
            return this;
        }

        public AttributeDefinition build() {
            return new AttributeDefinition(name, type, multiValued, description, required, caseExact, mutability,
                    returned, uniqueness, canonicalValues, referenceTypes, subAttributes);
        }
    }
}
