// Domain vocabulary as shown to staff: English with the Chinese term used at the utility.

export const STATUS = {
  received: ['Received', '已受理'],
  routed: ['Routed', '已派单'],
  in_progress: ['In progress', '处理中'],
  resolved: ['Resolved', '已办结'],
  closed: ['Closed', '已归档'],
  reopened: ['Reopened', '重新处理'],
  terminated: ['Terminated', '服务终止'],
};

export const ROOT_CAUSE = {
  power_quality: ['Power quality', '供电质量'],
  staff_attitude: ['Staff attitude', '服务态度'],
  other: ['Other', '其他'],
  unknown: ['Unknown', '未知'],
};

export const SUBTYPE = {
  voltage_low: ['Low voltage', '电压偏低'],
  voltage_high: ['High voltage', '电压偏高'],
  fluctuation_flicker: ['Fluctuation / flicker', '电压波动'],
  interruption: ['Interruption', '停电'],
  harmonics: ['Harmonics', '谐波'],
  unbalance: ['Unbalance', '三相不平衡'],
  rudeness: ['Rudeness', '态度恶劣'],
  negligence: ['Negligence', '工作失职'],
  misconduct: ['Misconduct', '违规行为'],
  unprofessional: ['Unprofessional', '业务不熟'],
  billing: ['Billing', '电费'],
  metering: ['Metering', '计量'],
  connection: ['Connection', '业扩报装'],
  payment_access: ['Payment access', '缴费'],
  infrastructure: ['Infrastructure', '供电设施'],
  inquiry: ['Inquiry', '咨询'],
};

export const GRADE = {
  general: ['General', '一般'],
  important: ['Important', '重要'],
  major: ['Major', '重大'],
  special: ['Special', '特殊'],
};

export const TEAM = {
  field_operations: ['Field operations', '运维抢修'],
  service_quality: ['Service quality', '服务质量'],
  business_office: ['Business office', '营业厅'],
};

export const CHANNEL = {
  hotline: ['Hotline', '95598热线'],
  app: ['App', '网上国网'],
  web: ['Web', '网站'],
  wechat: ['WeChat', '微信'],
  sms: ['SMS', '短信'],
};

export const WORK_ORDER_STATUS = {
  created: ['Created', '已创建'],
  assigned: ['Assigned', '已派工'],
  accepted: ['Accepted', '已接单'],
  contacted: ['Contacted', '已联系'],
  on_site: ['On site', '已到场'],
  resolved: ['Resolved', '已处理'],
  reopened: ['Reopened', '重新处理'],
  terminated: ['Terminated', '服务终止'],
  closed: ['Closed', '已关闭'],
};

export const SLA_LIMIT = {
  dispatch: ['Dispatch', '派单'],
  first_contact: ['First contact', '首次联系'],
  on_site: ['On site', '到达现场'],
  restore: ['Restore', '恢复送电'],
  resolve: ['Resolve', '办结'],
};

export const INCIDENT_STATUS = {
  open: ['Open', '处理中'],
  resolving: ['Resolving', '批量办结中'],
  resolved: ['Resolved', '已恢复'],
};

export const KPI = {
  callbackRate: ['Callback rate', '回访率'],
  satisfactionRate: ['Satisfaction rate', '满意率'],
  onTimeResolutionRate: ['On-time resolution', '按时办结率'],
  reopenRate: ['Reopen rate', '重启率'],
  reclassificationRate: ['Reclassification rate', '改派率'],
};

/** "English 中文" for a value of one of the tables above; unknown values show as they are. */
export function label(table, value) {
  const entry = table[value];
  return entry ? `${entry[0]} ${entry[1]}` : String(value ?? '—');
}

export const english = (table, value) => table[value]?.[0] ?? String(value ?? '—');
