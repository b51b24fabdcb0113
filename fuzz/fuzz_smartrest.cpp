// Fuzz target for the SmartREST codec.
// SPDX-License-Identifier: BSL-1.0
//
// Byte 0 picks the options: bit 0 lenient mode, bits 1-7 the chunk size of
// the incremental reader. The rest is a body. Properties checked:
// - one-shot `decode` and the chunked `reader` agree on records, offsets,
//   lines, and on the diagnostic when decoding fails;
// - encoding the records and decoding the result gives the same fields;
// - every message, template and JSONPath parser accepts or refuses each
//   record without crashing.
#include <rtnotify/smartrest.hpp>

#include "fuzz_support.hpp"

#include <boost/json/parse.hpp>

#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

namespace sr = rtnotify::smartrest;

using rtnotify_fuzz::check;

namespace {

struct snapshot
{
    std::vector<std::vector<std::string>> fields;
    std::vector<std::pair<std::size_t, std::size_t>> positions;
    sr::diagnostic diag;
    bool operator==(snapshot const&) const = default;
};

snapshot take(sr::document const& doc)
{
    snapshot s;
    for(auto r : doc)
    {
        s.fields.emplace_back(r.fields.begin(), r.fields.end());
        s.positions.emplace_back(r.offset, r.line);
    }
    return s;
}

void exercise_parsers(sr::document const& doc)
{
    sr::registry reg;
    (void)reg.handle("fuzz", doc);
    (void)sr::parse_response(doc, "fuzz");
    for(auto r : doc)
    {
        if(auto m = sr::parse_request(r))
        {
            std::string line;
            sr::encode(line, *m);
            auto again = sr::decode(line);
            check(again && again->size() == 1 && sr::parse_request((*again)[0]).value() == *m);
        }
        if(auto m = sr::parse_reply(r))
        {
            std::string line;
            sr::encode(line, *m);
            auto again = sr::decode(line);
            check(again && again->size() == 1 && sr::parse_reply((*again)[0]).value() == *m);
        }
        if(auto t = sr::parse_request_template(r))
            (void)sr::fill_request(*t, r, "2026-01-01T00:00:00Z");
        for(auto f : r.fields)
            if(auto p = sr::parse_json_path(f))
                (void)p->resolve(boost::json::value());
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size)
{
    if(size == 0)
        return 0;
    sr::decode_options opts;
    opts.lenient = data[0] & 1;
    opts.max_fields = 64;
    opts.max_record_size = 1024;
    std::size_t const chunk = 1 + (data[0] >> 1);
    std::string_view const body(reinterpret_cast<char const*>(data + 1), size - 1);

    auto one = sr::decode(body, opts);
    snapshot const expected = one ? take(*one) : snapshot{{}, {}, one.error()};

    sr::reader rd(opts);
    snapshot got;
    bool failed = false;
    for(std::size_t pos = 0; pos < body.size() && !failed; pos += chunk)
    {
        auto ec = rd.feed(body.substr(pos, chunk));
        failed = ec && ec != sr::error::need_more;
    }
    if(failed || rd.finish())
        got.diag = rd.diag();
    else
        got = take(rd.records());
    // The reader bounds its buffer while a record is open; one-shot decoding
    // sees the whole record first. They agree unless that limit fired.
    if(got.diag.code != sr::error::record_too_large)
        check(got == expected);

    if(one)
    {
        std::string encoded;
        for(auto r : *one)
            sr::encode_record(encoded, r.fields);
        auto back = sr::decode(encoded);
        check(back.has_value());
        check(take(*back).fields == expected.fields);
        exercise_parsers(*one);
    }
    return 0;
}
