// Test helpers: records as plain vectors, for comparisons and readable failures.
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_TESTS_SMARTREST_RECORDS_HPP
#define RTNOTIFY_TESTS_SMARTREST_RECORDS_HPP

#include <rtnotify/smartrest/document.hpp>

#include <string>
#include <vector>

namespace rtnotify_test {

using rows = std::vector<std::vector<std::string>>;

inline rows to_rows(rtnotify::smartrest::document const& doc)
{
    rows out;
    for(auto rec : doc)
        out.emplace_back(rec.fields.begin(), rec.fields.end());
    return out;
}

} // namespace rtnotify_test

#endif
