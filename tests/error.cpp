// Tests of rtnotify/error.hpp; including it first checks that it is self-contained.
// SPDX-License-Identifier: BSL-1.0
#include <rtnotify/error.hpp>

#include <gtest/gtest.h>

namespace test_area {

enum class error
{
    bad_byte = 1,
    too_long,
};

} // namespace test_area

template<>
struct rtnotify::detail::error_traits<test_area::error>
{
    static constexpr unsigned long long id = 0x1234567890abcdefull;
    static constexpr char const* name = "rtnotify.test";

    static error_info info(test_area::error e) noexcept
    {
        switch(e)
        {
        case test_area::error::bad_byte: return {"bad byte", condition::parse_error};
        case test_area::error::too_long: return {"too long", condition::limit_exceeded};
        }
        return {"unknown", condition::protocol_error};
    }
};

template<>
struct boost::system::is_error_code_enum<test_area::error> : std::true_type
{
};

namespace test_area {

inline boost::system::error_code make_error_code(error e) noexcept
{
    return {static_cast<int>(e), rtnotify::detail::category_of<error>()};
}

} // namespace test_area

namespace {

TEST(Error, AreaCodesMapOntoSharedConditions)
{
    rtnotify::error_code ec = test_area::error::bad_byte;
    EXPECT_EQ(ec, rtnotify::condition::parse_error);
    EXPECT_NE(ec, rtnotify::condition::limit_exceeded);
    EXPECT_EQ(ec.message(), "bad byte");
    EXPECT_STREQ(ec.category().name(), "rtnotify.test");

    ec = test_area::error::too_long;
    EXPECT_EQ(ec, rtnotify::condition::limit_exceeded);
    EXPECT_EQ(ec.message(), "too long");
}

TEST(Error, CategoryIsUniqueAndComparesById)
{
    auto const& a = rtnotify::detail::category_of<test_area::error>();
    auto const& b = rtnotify::detail::category_of<test_area::error>();
    EXPECT_EQ(&a, &b);
    rtnotify::detail::area_category<test_area::error> const copy;
    EXPECT_TRUE(copy == a); // same 64-bit id: equal even as distinct objects
}

TEST(Error, ConditionMessages)
{
    using rtnotify::condition;
    for(auto c : {condition::parse_error, condition::protocol_error, condition::limit_exceeded,
                  condition::unsupported, condition::api_misuse, condition::need_more})
    {
        auto const msg = rtnotify::make_error_condition(c).message();
        EXPECT_FALSE(msg.empty());
        EXPECT_NE(msg, "unknown rtnotify condition");
    }
    EXPECT_STREQ(rtnotify::condition_category().name(), "rtnotify");
}

TEST(Error, ResultCarriesCode)
{
    rtnotify::result<int> r = rtnotify::error_code(test_area::error::too_long);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error(), rtnotify::condition::limit_exceeded);
}

} // namespace
