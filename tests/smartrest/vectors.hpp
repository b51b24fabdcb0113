// The sample vectors of the SmartREST 1.0 reference, and more cases its parse rules decide; shared
// by the decode and reader tests.
// https://documentation.softwareag.com/dip/9-12_Device_Integration_Platform/DeviceIntegrationPlatform/guides/reference/smartrest/index.html
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_TESTS_SMARTREST_VECTORS_HPP
#define RTNOTIFY_TESTS_SMARTREST_VECTORS_HPP

#include "records.hpp"

#include <string_view>
#include <vector>

namespace rtnotify_test {

struct vector_case
{
    char const* name;
    std::string_view input;
    rows expected;
};

inline std::vector<vector_case> const& reference_vectors()
{
    static std::vector<vector_case> const v{
        vector_case{"v1_plain", "100,Hello world!", {{"100", "Hello world!"}}},
        vector_case{"v3_quoted_trailing_space", "102,\"trailing \"", {{"102", "trailing "}}},
        vector_case{"v5_doubled_quotes", "104,\"I have \"\"quotes\"\"!\"", {{"104", "I have \"quotes\"!"}}},
        vector_case{"v7_trailing_comma_two_lines", "a, b,\n+5.,hello world\n", {{"a", "b", ""}, {"+5.", "hello world"}}},
        vector_case{"v9_crlf", "a,b\r\nc,d\r\n", {{"a", "b"}, {"c", "d"}}},
        vector_case{"v11_empty_fields", "a,,b,", {{"a", "", "b", ""}}},
        vector_case{"v13_empty_body", "", {}},
        vector_case{"v15_keep_alive_spaces", "   100,1,foo", {{"100", "1", "foo"}}},
        vector_case{"v17_only_keep_alive", "   ", {}},
        vector_case{"v19_lone_escaped_quote", "\"\"\"\"", {{"\""}}},
        vector_case{"v25_crlf_inside_quotes", "a,\"multi\r\nline\",b", {{"a", "multi\r\nline", "b"}}},
        vector_case{"v27_utf8_quoted", "\"h\xC3\xA9llo\",x", {{"h\xC3\xA9llo", "x"}}},
        vector_case{"v29_bom", "\xEF\xBB\xBF" "80", {{"80"}}},
        vector_case{"v31_trim_both_ends", "a , b ", {{"a", "b"}}},
        vector_case{"v33_advice_5_fields", "86,,1000,10000,retry", {{"86", "", "1000", "10000", "retry"}}},
        vector_case{"v37_groups", "87,2,mytemplate1\n100,myvalue\n101,myvalue2\n87,1,mytemplate3\n100,myvalue3",
                    {{"87", "2", "mytemplate1"}, {"100", "myvalue"}, {"101", "myvalue2"},
                     {"87", "1", "mytemplate3"}, {"100", "myvalue3"}}},
        vector_case{"v39_client_id", "Un1q31d3nt1f13r", {{"Un1q31d3nt1f13r"}}},
        vector_case{"v45_request_template",
                    "10,100,GET,/identity/externalIds/c8y_Serial/%%,,application/json,%%,STRING,",
                    {{"10", "100", "GET", "/identity/externalIds/c8y_Serial/%%", "", "application/json", "%%", "STRING", ""}}},
        vector_case{"v47_template_json",
                    "10,101,POST,/inventory/managedObjects,application/json,application/json,%%,,\"{\"\"name\"\":\"\"X\"\"}\"",
                    {{"10", "101", "POST", "/inventory/managedObjects", "application/json", "application/json", "%%", "",
                      "{\"name\":\"X\"}"}}},
        vector_case{"utf8_unquoted_kept", "h\xC3\xA9llo,w\xC3\xB6rld", {{"h\xC3\xA9llo", "w\xC3\xB6rld"}}},
        vector_case{"blank_lines_between", "\n\n  \t \r\n1\n\n2\n", {{"1"}, {"2"}}},
        vector_case{"cr_at_end_of_body", "a,b\r", {{"a", "b"}}},
        vector_case{"quoted_then_cr_at_end_of_body", "a\n\"b\"\r", {{"a"}, {"b"}}},
        vector_case{"lone_cr_is_content", "a\rb,c", {{"a\rb", "c"}}},
        vector_case{"blanks_around_quoted", "  \"x\"  ,\t\"y\"\t", {{"x", "y"}}},
        vector_case{"quoted_empty", "\"\",a", {{"", "a"}}},
        vector_case{"single_quote_not_special", "105,I also have 'quotes'!", {{"105", "I also have 'quotes'!"}}}};
    return v;
}

/// Inputs that fail in strict mode (and some also in lenient mode).
inline std::vector<std::string_view> const& invalid_inputs()
{
    static std::vector<std::string_view> const v{
        "x,\"unterminated", "1\n2,3,\"a\nb", "ab\"c,d", "1\nok,\"abc\"xyz,def", "\"a\" x \" ,b",
        "\"abc\"\"", "\"", "a,\"b\"\r,c", "\xEF\xBB\xBF\"open\n",
    };
    return v;
}

} // namespace rtnotify_test

#endif
