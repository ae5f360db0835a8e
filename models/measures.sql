-- The measures, each defined once, as DuckDB macros over the columns of gold.fact_sales.
-- KPI models and dashboard queries both call these; nothing else restates a formula.
-- Money is summed in exact decimals, then given back as DOUBLE: a floating-point sum
-- depends on the order of its terms, which DuckDB's threads do not fix.
create or replace macro total_sales(sales_amount) as sum(sales_amount::decimal(38, 6))::double;
create or replace macro total_units(quantity) as sum(quantity);
create or replace macro total_orders(order_number) as count(distinct order_number);
-- customers who bought: distinct customers on sales lines
create or replace macro total_customers(customer_key) as count(distinct customer_key);
create or replace macro avg_order_value(sales_amount, order_number) as
    sum(sales_amount::decimal(38, 6))::double / nullif(count(distinct order_number), 0);
-- revenue per unit sold
create or replace macro avg_unit_price(sales_amount, quantity) as
    sum(sales_amount::decimal(38, 6))::double / nullif(sum(quantity), 0);
