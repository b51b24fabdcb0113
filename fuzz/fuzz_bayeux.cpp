// Fuzz target for the Bayeux codec.
// SPDX-License-Identifier: BSL-1.0
//
// The input is a body. Properties checked:
// - decoding never crashes, and a decoded batch encodes to JSON that decodes
//   to the same batch (decode -> encode -> decode); doubles compare to within
//   a relative 1e-14, since Boost.JSON 1.81 parses numbers to within an ULP;
// - request and reply validation, channel classification, expansion and
//   error-string parsing accept any decoded message;
// - a channel that classifies as a name matches itself, and every pattern of
//   its expansion matches it;
// - the HTTP binding reads the same bytes as a JSON POST body, a form POST
//   body and a JSONP query without crashing, and what it accepts it answers
//   (a JSONP reply starts with its validated callback).
#include <rtnotify/bayeux/channel.hpp>
#include <rtnotify/bayeux/decode.hpp>
#include <rtnotify/bayeux/encode.hpp>
#include <rtnotify/bayeux/error_string.hpp>
#include <rtnotify/bayeux/http.hpp>
#include <rtnotify/bayeux/validate.hpp>

#include "fuzz_support.hpp"
#include "json_near.hpp"

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <string_view>

namespace bx = rtnotify::bayeux;

using rtnotify_fuzz::check;

namespace {

void exercise_channel(std::string_view ch)
{
    auto const c = bx::classify(ch);
    if(c.validity == bx::validity::invalid || c.wildcard != bx::wildcard::none || ch.back() == '/')
        return;
    check(bx::matches(ch, ch));
    bx::for_each_expansion(ch, [&](std::string_view p) { check(bx::matches(p, ch)); });
}

} // namespace

void exercise_http(std::string_view bytes)
{
    std::string const target = "/bayeux?" + std::string(bytes);
    for(auto const& req : {bx::http_request{"POST", "/bayeux", "application/json", bytes},
                           bx::http_request{"POST", "/bayeux", "application/x-www-form-urlencoded", bytes},
                           bx::http_request{"GET", target, "", ""}})
    {
        auto in = bx::read_http_request(req);
        if(!in)
        {
            check(in.error().status >= 400 && in.error().status < 500);
            continue;
        }
        auto const r = bx::make_http_response(in->messages, *in);
        check(r.status == 200);
        if(in->transport == bx::http_transport::jsonp_get)
            check(r.body.starts_with(in->callback + "("));
    }
}

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size)
{
    std::string_view const body(reinterpret_cast<char const*>(data), size);
    exercise_http(body);
    bx::decode_options opts;
    opts.max_depth = 16;
    opts.max_messages = 64;
    auto batch = bx::decode(body, opts);
    if(!batch)
        return 0;
    auto const text = bx::encode(*batch);
    auto again = bx::decode(text);
    check(again.has_value() && again->size() == batch->size());
    for(std::size_t i = 0; i < batch->size(); ++i)
        check(rtnotify_fuzz::json_near(boost::json::value_from((*batch)[i]), boost::json::value_from((*again)[i])));
    for(auto const& m : *batch)
    {
        (void)bx::validate_request(m);
        (void)bx::validate_request(m, true);
        (void)bx::validate_reply(m);
        exercise_channel(m.channel);
        if(m.subscription)
            for(auto const& s : *m.subscription)
                exercise_channel(s);
        if(m.error)
        {
            auto const e = bx::error_string::parse(*m.error);
            if(e.code)
                check(bx::error_string::parse(e.to_string()) == e);
        }
    }
    return 0;
}
