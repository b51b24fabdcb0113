// Fuzz target for the Bayeux HTTP binding as a server reads a request.
// SPDX-License-Identifier: BSL-1.0
//
// Byte 0 picks the method; the rest is the request target, the Content-Type
// and the body, separated by the first two newlines. Properties checked:
// - reading never crashes; a refusal is a 4xx status with a body that says why;
// - an accepted request is answered 200, and a JSONP answer starts with its
//   callback, which is a dotted JavaScript identifier path;
// - the messages read encode to a body the binding reads back as the same
//   number of messages (JSON POST).
#include <rtnotify/bayeux/encode.hpp>
#include <rtnotify/bayeux/http.hpp>

#include "fuzz_support.hpp"

#include <cctype>
#include <cstdint>
#include <string>
#include <string_view>

namespace bx = rtnotify::bayeux;

using rtnotify_fuzz::check;

namespace {

/// The text up to the next newline (all of it when there is none); `rest` moves past it.
std::string_view line(std::string_view& rest)
{
    auto const nl = rest.find('\n');
    auto const l = rest.substr(0, nl);
    rest = nl == std::string_view::npos ? std::string_view() : rest.substr(nl + 1);
    return l;
}

bool identifier_path(std::string_view s)
{
    if(s.empty() || s.front() == '.' || s.back() == '.')
        return false;
    for(char c : s)
        if(!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$' || c == '.'))
            return false;
    return true;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size)
{
    rtnotify_fuzz::input in{data, size};
    static char const* const methods[] = {"GET", "POST", "PUT", "OPTIONS", "HEAD", "post", ""};
    std::string_view const method = in.pick(methods);
    std::string_view rest = in.bytes(in.n);
    std::string const target(line(rest));
    std::string const content_type(line(rest));
    bx::http_options opts;
    opts.limits.max_messages = 64;
    opts.limits.max_depth = 16;
    auto const read = bx::read_http_request(bx::http_request{method, target, content_type, rest}, opts);
    if(!read)
    {
        check(read.error().status >= 400 && read.error().status < 500);
        check(!read.error().body.empty());
        return 0;
    }
    auto const answer = bx::make_http_response(read->messages, *read);
    check(answer.status == 200);
    if(read->transport == bx::http_transport::jsonp_get)
    {
        check(identifier_path(read->callback));
        check(answer.body.starts_with(read->callback + "("));
    }
    auto const body = bx::encode(read->messages);
    auto const again = bx::read_http_request(bx::http_request{"POST", "/bayeux", "application/json", body});
    check(again.has_value() && again->messages.size() == read->messages.size());
    return 0;
}
