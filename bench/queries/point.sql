SELECT
    l_orderkey, l_linenumber, l_quantity, l_extendedprice, l_shipdate
FROM
    tpch.tpch.lineitem
WHERE
    l_orderkey = 4000000
ORDER BY
    l_linenumber
