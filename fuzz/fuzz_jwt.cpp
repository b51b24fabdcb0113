// Fuzz target for the checks of credentials a client sends: JSON Web Tokens and Basic headers.
// SPDX-License-Identifier: BSL-1.0
//
// The first byte picks the mode (3 modulo 4 first):
// - 3 modulo 4: the rest is an `Authorization` header value; when
//   parse_basic_authorization takes it, the user holds no colon and neither
//   part a control character, and the value starts with the scheme;
// - even: the rest is a token, checked against a fixed secret; a token the
//   fuzzer did not sign must never pass, and a refusal always says where,
//   within the token;
// - odd: the rest is claims text; when it is a JSON object, it is signed,
//   the token must pass (before any expiry it names), and the same token with
//   any one byte changed (position and value from the input) must not.
#include <rtnotify/auth/basic_credentials.hpp>
#include <rtnotify/auth/jwt.hpp>
#include <rtnotify/detail/json_numbers.hpp>

#include "fuzz_support.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>

namespace auth = rtnotify::auth;
using rtnotify_fuzz::check;

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size)
{
    if(size == 0)
        return 0;
    static auth::jwt_hs256 const signer("fuzz secret: thirty-two bytes long.");
    std::string_view const rest(reinterpret_cast<char const*>(data + 1), size - 1);
    if(data[0] % 4 == 3)
    {
        auto const c = auth::parse_basic_authorization(rest);
        if(!c)
            return 0;
        auto const control = [](std::string const& s) {
            return std::any_of(s.begin(), s.end(), [](unsigned char x) { return x < 0x20 || x == 0x7f; });
        };
        check(c->user.find(':') == std::string::npos, "the user name ends at the first colon", rest);
        check(!control(c->user) && !control(c->password), "no control character passes", rest);
        check(rest.size() > 6 && (rest[0] | 0x20) == 'b', "only the Basic scheme", rest);
        check(c->user.size() + c->password.size() + 1 <= rest.size(), "no more bytes than the header encodes", rest);
        return 0;
    }
    if(data[0] % 2 == 0)
    {
        auto const r = signer.verify(rest, 1000);
        check(!r, "a token nobody signed passed", rest);
        check(r.error().offset <= rest.size() || r.error().code == auth::jwt_errc::too_long, "offset within the token");
        check(!r.error().message.empty());
        return 0;
    }
    boost::system::error_code ec;
    boost::json::parse_options po;
    po.max_depth = 16; // as deep as verify reads claims
    auto const v = boost::json::parse(rest, ec, {}, po);
    if(ec || !v.is_object() || v.as_object().contains("exp") || v.as_object().contains("nbf") ||
       !rtnotify::detail::all_finite(v))
        return 0; // claims are the server's: finite numbers (JSON has no others)
    auto const token = signer.sign(v.as_object());
    if(token.size() > auth::jwt_hs256::max_token_bytes)
        return 0;
    auto const ok = signer.verify(token, 1000);
    if(v.as_object().contains("iat") && !v.as_object().at("iat").is_int64() && !v.as_object().at("iat").is_uint64())
        check(!ok && ok.error().code == auth::jwt_errc::bad_claims, "a non-integer iat is refused");
    else
        check(bool(ok) && *ok == boost::json::parse(boost::json::serialize(v)), "a signed token passes with its claims",
              token); // the claims as their text says (Boost.JSON may round a double)
    auto changed = token;
    auto const at = (size > 2 ? data[1] | (data[2] << 8) : 0) % changed.size();
    auto const to = static_cast<char>(size > 3 ? data[3] : 'A');
    if(changed[at] == to)
        return 0;
    changed[at] = to;
    check(!signer.verify(changed, 1000), "a changed token passed", changed);
    return 0;
}
