// Tests of rtnotify/auth/jwt.hpp; including it first checks that it is self-contained.
// SPDX-License-Identifier: BSL-1.0
#include <rtnotify/auth/jwt.hpp>

#include <boost/json/parse.hpp>

#include <gtest/gtest.h>

#include <string>

namespace {

namespace auth = rtnotify::auth;
namespace json = boost::json;

std::string const secret = "0123456789abcdef0123456789abcdef";

TEST(Jwt, TheRfc7515ExampleIsChecked)
{
    // RFC 7515, appendix A.1: an HS256 JWS and its key (base64url), https://www.rfc-editor.org/rfc/rfc7515#appendix-A.1
    auto const key = auth::base64url_decode(
        "AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow");
    ASSERT_TRUE(key);
    std::string const token = "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9"
                              ".eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ"
                              ".dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    auth::jwt_hs256 const signer(*key);
    auto const claims = signer.verify(token, 1300819379);
    ASSERT_TRUE(claims) << claims.error().to_string();
    EXPECT_EQ(claims->at("iss"), "joe");
    EXPECT_EQ(signer.verify(token, 1300819380).error().code, auth::jwt_errc::expired) << "exp is the first second refused";
}

TEST(Jwt, SignedTokensVerifyUntilTheyExpire)
{
    auth::jwt_hs256 const signer(secret);
    auto const token = signer.sign({{"_id", "alice"}, {"iat", 1000}, {"exp", 2000}});
    auto const claims = signer.verify(token, 1999);
    ASSERT_TRUE(claims) << claims.error().to_string();
    EXPECT_EQ(claims->at("_id"), "alice");
    EXPECT_EQ(signer.verify(token, 2000).error().code, auth::jwt_errc::expired);
    EXPECT_EQ(auth::jwt_hs256("another secret of thirty-two bytes!").verify(token, 1500).error().code,
              auth::jwt_errc::bad_signature);
    EXPECT_EQ(signer.verify(signer.sign({{"nbf", 5000}}), 4999).error().code, auth::jwt_errc::not_yet_valid);
    EXPECT_EQ(signer.verify(signer.sign({{"exp", "soon"}}), 1).error().code, auth::jwt_errc::bad_claims);
}

TEST(Jwt, AChangedByteAnywhereIsRefused)
{
    auth::jwt_hs256 const signer(secret);
    auto const token = signer.sign({{"_id", "alice"}, {"exp", 2000}});
    for(std::size_t i = 0; i < token.size(); ++i)
    {
        auto t = token;
        t[i] = t[i] == 'A' ? 'B' : 'A';
        auto const r = signer.verify(t, 1000);
        EXPECT_FALSE(r) << "byte " << i << " of " << token;
    }
}

TEST(Jwt, OnlyHs256WhateverTheHeaderSays)
{
    auth::jwt_hs256 const signer(secret);
    auto const claims = auth::base64url_encode(R"({"_id":"mallory"})");
    // alg none with an empty signature: the classic forgery
    auto const none = signer.verify(auth::base64url_encode(R"({"alg":"none"})") + "." + claims + ".", 1);
    EXPECT_EQ(none.error().code, auth::jwt_errc::unsupported_algorithm);
    auto const hs512 = signer.verify(auth::base64url_encode(R"({"alg":"HS512"})") + "." + claims + ".AAAA", 1);
    EXPECT_EQ(hs512.error().code, auth::jwt_errc::unsupported_algorithm);
    auto const crit = signer.verify(auth::base64url_encode(R"({"alg":"HS256","crit":["x"]})") + "." + claims + ".AAAA", 1);
    EXPECT_EQ(crit.error().code, auth::jwt_errc::unsupported_algorithm);
}

TEST(Jwt, MalformedTokensSayWhatAndWhere)
{
    auth::jwt_hs256 const signer(secret);
    auto const good = signer.sign({{"_id", "alice"}});
    auto const dot = good.find('.');
    EXPECT_EQ(signer.verify("abc", 1).error().code, auth::jwt_errc::malformed);
    EXPECT_EQ(signer.verify("a.b.c.d", 1).error().code, auth::jwt_errc::malformed);
    auto const b64 = signer.verify("ey*J." + good.substr(dot + 1), 1);
    EXPECT_EQ(b64.error().code, auth::jwt_errc::bad_base64);
    EXPECT_EQ(b64.error().offset, 2u);
    EXPECT_EQ(signer.verify(auth::base64url_encode("[1]") + good.substr(dot), 1).error().code, auth::jwt_errc::bad_json);
    EXPECT_EQ(signer.verify(std::string(auth::jwt_hs256::max_token_bytes + 1, 'a'), 1).error().code,
              auth::jwt_errc::too_long);
    // claims that are no JSON object are not even read: the signature is checked first
    auto const body = good.substr(0, dot) + "." + auth::base64url_encode("not json");
    auto forged = signer.verify(body + "." + good.substr(good.rfind('.') + 1), 1);
    EXPECT_EQ(forged.error().code, auth::jwt_errc::bad_signature) << "the signature is checked before the claims are read";
}

} // namespace
