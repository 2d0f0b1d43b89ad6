package io.latchkey.admin.scim.web;

import java.util.List;

/** One page of a list: the rows asked for and how many match in all. */
public record Page<T>(long totalResults, List<T> rows) {
}
